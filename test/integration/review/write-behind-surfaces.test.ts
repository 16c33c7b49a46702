// Review of the write-behind of an authorization request (src/oidc/write-behind.ts): a session's old
// identifier after a new sign-in is left as an expired record with no uid nor account, and the new
// session is written only at the request's end. The surfaces that query oidc_records with the driver
// (src/sessions/end-sessions.ts, src/app/logout-provider.ts, src/sessions/sign-out.ts) must see the
// live session the moment the answer arrives, and never count or end the ended identifier as one.
// And a request that read the session under the old identifier just before the new sign-in ended it
// (a silent sign-in in another tab, a copied cookie) saved it again at its end, live: the old cookie
// was signed in again (found in review, every round; oidc-provider's delete before the write-behind
// lost the same race). Fixed: a session is saved only over a live record.
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { REDIRECT_URI, relyingParty, signIn, silentSignIn, startAuthorization, submitLogin, untilCallback, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { endBrowserSession, endUserSessions } from '../../../src/sessions/end-sessions.js';

const PASSWORD = 'Correct horse, battery 9 staples';

describe('review: the direct readers of the provider records after a (re-)sign-in', () => {
  let server: TestServer;
  let rp: RelyingParty;

  before(async () => {
    server = await startServer();
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT_URI] });
    rp = await relyingParty(server, 'charting');
  });
  after(async () => {
    await server.close();
    await server.store.close();
  });

  const records = () => server.models.OidcRecord.collection;

  it('after a re-sign-in (prompt=login) one live session is counted and ended, not the old identifier', async () => {
    const user = await server.createUser({ email: 'resign@clinic.test', password: PASSWORD });
    const browser = new Browser();
    await signIn(browser, rp, user.email, PASSWORD);
    const oldId = browser.cookies().get('_session')!;
    await signIn(browser, rp, user.email, PASSWORD, { prompt: 'login' });
    expect(browser.cookies().get('_session')).to.not.equal(oldId);

    // What logout-provider.ts counts and endUserSessions reads: the one session, found as the answer arrived.
    expect(await records().countDocuments({ kind: 'Session', accountId: user.sub })).to.equal(1);
    expect(await records().countDocuments({ _id: `Session:${oldId}` as never, payload: '{}' }), 'the old identifier, ended').to.equal(1);
    const ended = await endUserSessions(server.provider, server.models, user.sub);
    expect(ended.sessions, 'the live session, not the ended identifier').to.equal(1);
    expect(ended.grants).to.be.at.least(1);

    const start = await startAuthorization(rp, { prompt: 'none' });
    const answer = await untilCallback(browser, rp, await browser.get(start.url.href));
    expect(answer.searchParams.get('error'), 'the browser is signed out').to.equal('login_required');
  });

  it("a session ended by uid right after a silent sign-in (the session written with that request's code) stays ended", async () => {
    const user = await server.createUser({ email: 'silent@clinic.test', password: PASSWORD });
    const browser = new Browser();
    await signIn(browser, rp, user.email, PASSWORD);
    await silentSignIn(browser, rp);
    const [session] = await records().find({ kind: 'Session', accountId: user.sub }).toArray();
    expect(session, 'the session is stored when the answer arrives').to.not.equal(undefined);
    const uid = String(session!.uid);

    const ended = await endBrowserSession(server.provider, server.models, { uid, accountId: user.sub });
    expect(ended.sessions).to.equal(1);
    expect(await records().countDocuments({ kind: 'Session', uid })).to.equal(0);
    const start = await startAuthorization(rp, { prompt: 'none' });
    const answer = await untilCallback(browser, rp, await browser.get(start.url.href));
    expect(answer.searchParams.get('error')).to.equal('login_required');
  });

  it('a silent sign-in with the old cookie at the moment of the re-sign-in does not bring the old id back', async () => {
    const user = await server.createUser({ email: 'race@clinic.test', password: PASSWORD });
    const outcomes: string[] = [];
    for (let round = 0; round < 4; round++) {
      const browser = new Browser();
      await signIn(browser, rp, user.email, PASSWORD);
      const old = browser.copy();
      const oldId = browser.cookies().get('_session');
      const start = await startAuthorization(rp, { prompt: 'login' });
      const login = await browser.follow(await browser.get(start.url.href), rp.redirectUri);
      const posted = await submitLogin(browser, login, user.email, PASSWORD);
      const silent = await startAuthorization(rp, { prompt: 'none' });
      await Promise.all([browser.get(posted.location!), old.get(silent.url.href)]);
      const record = await server.models.OidcRecord.collection.findOne({ _id: `Session:${oldId}` as never });
      const after = await startAuthorization(rp, { prompt: 'none' });
      const answer = await untilCallback(old, rp, await old.get(after.url.href));
      outcomes.push(`${record?.payload === '{}' ? 'ended' : record ? 'LIVE' : 'gone'}:${answer.searchParams.get('error') ?? 'code'}`);
    }
    expect(outcomes, 'the old identifier stays ended; its cookie signs nobody in').to.deep.equal(Array(4).fill('ended:login_required'));
  });
});
