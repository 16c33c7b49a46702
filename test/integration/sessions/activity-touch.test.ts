// Session use is recorded at a resolution of 1/60 of the practice's idle time-out, at most 15 s
// (src/sessions/activity.ts): SSO requests in quick succession cost one write, and the idle
// time-out still holds, ending a session at most that resolution early, never late.
import { expect } from 'chai';
import type { UserDoc } from '../../../src/accounts/service.js';
import { touchResolutionMs } from '../../../src/sessions/activity.js';
import { Browser } from '../../helpers/browser.js';
import { FakeClock } from '../../helpers/clock.js';
import { relyingParty, signIn, startAuthorization, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const REDIRECT = 'http://127.0.0.1:9/callback';

describe('sessions: activity written at most once per resolution', () => {
  let server: TestServer;
  let clock: FakeClock;
  let rp: RelyingParty;
  const password = 'Quiet-Harbor-Lantern-0123!';

  before(async () => {
    clock = new FakeClock(Date.now());
    server = await startServer({ clock });
    await server.createClient({ clientId: 'scheduling', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT] });
    rp = await relyingParty(server, 'scheduling', undefined, REDIRECT);
  });
  after(() => server.close());

  it('resolution: 1/60 of the idle time-out, at most 15 s', () => {
    const cases: Array<[idleMinutes: number, ms: number]> = [[1, SECOND], [5, 5 * SECOND], [15, 15 * SECOND], [60, 15 * SECOND], [720, 15 * SECOND]];
    for (const [idleMinutes, ms] of cases) expect(touchResolutionMs(idleMinutes), `${idleMinutes} min`).to.equal(ms);
  });

  async function authorize(browser: Browser): Promise<'app' | 'login'> {
    const start = await startAuthorization(rp);
    const page = await browser.follow(await browser.get(start.url.href), REDIRECT);
    return page.location?.startsWith(REDIRECT) ? 'app' : 'login';
  }

  async function signedIn(idleMinutes?: number): Promise<{ browser: Browser; user: UserDoc; lastSeen: () => Promise<number> }> {
    const practice = await server.createPractice();
    if (idleMinutes) await server.models.Practice.updateOne({ _id: practice._id }, { $set: { sessionIdleMinutes: idleMinutes } });
    const user = await server.createUser({ password, practiceId: practice._id });
    const browser = new Browser();
    await signIn(browser, rp, user.email, password);
    const lastSeen = async () => (await server.models.SessionActivity.findOne({ accountId: user.sub }).lean())!.lastSeenAt.getTime();
    return { browser, user, lastSeen };
  }

  it('writes a use only when the stored one is older than the resolution (15 s at the default 15 minutes)', async () => {
    const { browser, lastSeen } = await signedIn();
    const signedInAt = clock.now();
    expect(await lastSeen()).to.equal(signedInAt);
    clock.advance(10 * SECOND);
    expect(await authorize(browser)).to.equal('app');
    expect(await lastSeen()).to.equal(signedInAt);
    clock.advance(5 * SECOND); // 15 s since the stored use
    expect(await authorize(browser)).to.equal('app');
    expect(await lastSeen()).to.equal(clock.now());
  });

  it('a short idle time-out keeps a fine resolution (1 s at 1 minute)', async () => {
    const { browser, lastSeen } = await signedIn(1);
    const signedInAt = clock.now();
    clock.advance(999);
    expect(await authorize(browser)).to.equal('app');
    expect(await lastSeen()).to.equal(signedInAt);
    clock.advance(1);
    expect(await authorize(browser)).to.equal('app');
    expect(await lastSeen()).to.equal(clock.now());
  });

  it('ends the session at most one resolution early, never late', async () => {
    const { browser } = await signedIn();
    clock.advance(14 * SECOND); // a use inside the resolution: not written
    expect(await authorize(browser)).to.equal('app');
    clock.advance(15 * MINUTE - 14 * SECOND); // 15 minutes after the written use, 14 s less after the real one
    expect(await authorize(browser)).to.equal('login');

    const other = await signedIn();
    clock.advance(15 * SECOND); // written
    expect(await authorize(other.browser)).to.equal('app');
    clock.advance(15 * MINUTE - 1);
    expect(await authorize(other.browser)).to.equal('app');
  });
});
