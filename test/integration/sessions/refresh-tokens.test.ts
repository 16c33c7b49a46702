// Issue 21.1: a module's refresh token is bound to the sign-in it came from. It stops working when
// that sign-in times out (idle or absolute, judged by the injected clock), a module's refreshes do
// not keep the sign-in alive, and rotation never carries a token past the sign-in's absolute end.
import { expect } from 'chai';
import type { OidcRecord } from '../../../src/store/models/oidc-record.js';
import { Browser } from '../../helpers/browser.js';
import { FakeClock } from '../../helpers/clock.js';
import { relyingParty, signIn, silentSignIn, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const REDIRECT = 'http://127.0.0.1:4/callback';
const PASSWORD = 'Quiet-Harbor-Lantern-0123!';
const OFFLINE = { scope: 'openid offline_access', prompt: 'consent' };

describe('sessions: refresh tokens end with their sign-in', () => {
  let server: TestServer;
  let clock: FakeClock;
  let rp: RelyingParty;

  before(async () => {
    clock = new FakeClock(Date.now());
    server = await startServer({ clock });
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT] });
    rp = await relyingParty(server, 'charting', undefined, REDIRECT);
  });
  after(() => server.close());

  async function signedIn(idleMinutes: number) {
    const practice = await server.createPractice();
    await server.models.Practice.updateOne({ _id: practice._id }, { $set: { sessionIdleMinutes: idleMinutes } });
    const user = await server.createUser({ password: PASSWORD, practiceId: practice._id });
    const browser = new Browser();
    const { tokens } = await signIn(browser, rp, user.email, PASSWORD, OFFLINE);
    expect(tokens.refresh_token).to.be.a('string');
    return { browser, user, tokens };
  }

  /** A refresh: the new tokens, or the OAuth error. */
  async function refresh(refreshToken: string): Promise<{ status: number; body: { refresh_token?: string; access_token?: string; error?: string } }> {
    const res = await fetch(server.url('/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: rp.clientId }),
    });
    return { status: res.status, body: await res.json() as never };
  }

  /** Seconds the stored refresh token has left (stored in real time; an opaque token's value is its id). */
  async function storedSecondsLeft(refreshToken: string): Promise<number> {
    const record = await server.models.OidcRecord.collection.findOne<OidcRecord>({ _id: `RefreshToken:${refreshToken}` } as never);
    return (record!.expiresAt!.getTime() - Date.now()) / 1000;
  }

  it('an idle time-out ends the refresh token, and refreshing does not count as the user\'s activity', async () => {
    const { tokens } = await signedIn(1);
    clock.advance(30 * SECOND);
    const first = await refresh(tokens.refresh_token!);
    expect(first.status, 'within the idle time-out').to.equal(200);
    clock.advance(45 * SECOND); // 75 s since the user's last request; 45 s since the module's refresh
    const second = await refresh(first.body.refresh_token!);
    expect(second.status).to.equal(400);
    expect(second.body.error).to.equal('invalid_grant');
    const userinfo = await fetch(server.url('/me'), { headers: { authorization: `Bearer ${first.body.access_token!}` } });
    expect(userinfo.status, 'the access token ended with the sign-in too').to.equal(401);
  });

  it('the user\'s own use keeps it alive (SSO to the module resets the idle clock)', async () => {
    const { browser, tokens } = await signedIn(1);
    clock.advance(50 * SECOND);
    await silentSignIn(browser, rp);
    clock.advance(50 * SECOND); // 100 s since the sign-in, 50 s since the user's last request
    expect((await refresh(tokens.refresh_token!)).status).to.equal(200);
  });

  it('rotation never extends the absolute lifetime: each new token ends by the sign-in\'s 12 h end', async () => {
    const { browser, tokens } = await signedIn(720);
    clock.advance(11 * HOUR);
    await silentSignIn(browser, rp); // the user is still here: not idle
    const rotated = await refresh(tokens.refresh_token!);
    expect(rotated.status).to.equal(200);
    expect(await storedSecondsLeft(rotated.body.refresh_token!), 'about 1 h left, not 12 h').to.be.within(HOUR / 1000 - 30, HOUR / 1000 + 5);

    clock.advance(30 * MINUTE);
    const again = await refresh(rotated.body.refresh_token!);
    expect(again.status).to.equal(200);
    expect(await storedSecondsLeft(again.body.refresh_token!), 'about 30 minutes left').to.be.within(30 * 60 - 30, 30 * 60 + 5);

    clock.advance(30 * MINUTE); // 12 h since the sign-in
    const late = await refresh(again.body.refresh_token!);
    expect(late.status).to.equal(400);
    expect(late.body.error).to.equal('invalid_grant');
  });
});
