// Session time-outs through HTTP with an injected clock: a module's SSO authorization rides on the
// browser session while it is in use; after the practice's idle time-out (default 15 minutes) or the
// 12-hour lifetime the next authorization, and the next /account page, show the sign-in page.
// Session use is recorded at a resolution of 1/60 of the idle time-out, at most 15 s
// (src/sessions/activity.ts): SSO requests in quick succession cost one write, and a session ends at
// most that resolution early, never late.
import { expect } from 'chai';
import type { UserDoc } from '../../../src/accounts/service.js';
import { touchResolutionMs } from '../../../src/sessions/activity.js';
import { Browser } from '../../helpers/browser.js';
import { FakeClock } from '../../helpers/clock.js';
import { relyingParty, signIn, startAuthorization, submitLogin, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const REDIRECT = 'http://127.0.0.1:4/callback';

describe('sessions: idle time-out, lifetime and recorded use', () => {
  let server: TestServer;
  let clock: FakeClock;
  let rp: RelyingParty;
  const password = 'Quiet-Harbor-Lantern-0123!';

  before(async () => {
    clock = new FakeClock(Date.now());
    server = await startServer({ clock });
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT] });
    rp = await relyingParty(server, 'charting', undefined, REDIRECT);
  });
  after(() => server.close());

  /** An SSO authorization: 'app' when it went straight back to the module, 'login' when it showed the sign-in page. */
  async function authorize(browser: Browser): Promise<'app' | 'login'> {
    const start = await startAuthorization(rp);
    const page = await browser.follow(await browser.get(start.url.href), REDIRECT);
    if (page.location?.startsWith(REDIRECT)) {
      expect(new URL(page.location).searchParams.get('code')).to.be.a('string');
      return 'app';
    }
    expect(page.html).to.contain('autocomplete="current-password"');
    return 'login';
  }

  /** A user of a new practice (with that idle time-out, if given), signed in on a new browser. */
  async function signedIn(idleMinutes?: number): Promise<{ browser: Browser; user: UserDoc; lastSeen: () => Promise<number> }> {
    const practice = await server.createPractice();
    if (idleMinutes) await server.models.Practice.updateOne({ _id: practice._id }, { $set: { sessionIdleMinutes: idleMinutes } });
    const user = await server.createUser({ password, practiceId: practice._id });
    const browser = new Browser();
    await signIn(browser, rp, user.email, password);
    const lastSeen = async () => (await server.models.SessionActivity.findOne({ accountId: user.sub }).lean())!.lastSeenAt.getTime();
    return { browser, user, lastSeen };
  }

  it('keeps the session through use and ends it after 16 idle minutes (not after 14)', async () => {
    const { browser, user } = await signedIn();
    clock.advance(14 * MINUTE);
    expect(await authorize(browser)).to.equal('app');
    clock.advance(14 * MINUTE); // 28 minutes since the sign-in, 14 since the last use
    expect(await authorize(browser)).to.equal('app');
    clock.advance(16 * MINUTE);
    expect(await authorize(browser)).to.equal('login');

    // A full sign-in brings the session back, and SSO works again.
    const start = await startAuthorization(rp);
    const login = await browser.follow(await browser.get(start.url.href), REDIRECT);
    const back = await browser.follow(await submitLogin(browser, login, user.email, password), REDIRECT);
    expect(back.location).to.match(/^http:\/\/127\.0\.0\.1:4\/callback\?code=/);
    expect(await authorize(browser)).to.equal('app');
  });

  it('a silent request after the time-out answers login_required', async () => {
    const { browser } = await signedIn();
    clock.advance(16 * MINUTE);
    const start = await startAuthorization(rp, { prompt: 'none' });
    const page = await browser.follow(await browser.get(start.url.href), REDIRECT);
    const callback = new URL(page.location!);
    expect(callback.searchParams.get('error')).to.equal('login_required');
  });

  it('honours the practice\'s own idle time-out', async () => {
    const { browser } = await signedIn(60);
    clock.advance(45 * MINUTE);
    expect(await authorize(browser)).to.equal('app');
    clock.advance(61 * MINUTE);
    expect(await authorize(browser)).to.equal('login');
  });

  it('ends a session in constant use 12 hours after its sign-in', async () => {
    const { browser } = await signedIn(720);
    clock.advance(11 * 60 * MINUTE);
    expect(await authorize(browser)).to.equal('app');
    clock.advance(59 * MINUTE);
    expect(await authorize(browser)).to.equal('app');
    clock.advance(MINUTE); // 12 hours, though used a minute ago
    expect(await authorize(browser)).to.equal('login');
  });

  it('sends an idle /account visit to the sign-in page; using /account keeps the session alive', async () => {
    const { browser } = await signedIn();
    const account = async () => browser.follow(await browser.get(server.url('/account/')), REDIRECT);
    clock.advance(10 * MINUTE);
    expect((await account()).html).to.contain('Sign out everywhere');
    clock.advance(10 * MINUTE); // 20 minutes since the sign-in, 10 since /account
    expect(await authorize(browser)).to.equal('app');
    clock.advance(16 * MINUTE);
    const page = await account();
    expect(page.html).to.contain('autocomplete="current-password"');
  });

  it('resolution: 1/60 of the idle time-out, at most 15 s', () => {
    const cases: Array<[idleMinutes: number, ms: number]> = [[1, SECOND], [5, 5 * SECOND], [15, 15 * SECOND], [60, 15 * SECOND], [720, 15 * SECOND]];
    for (const [idleMinutes, ms] of cases) expect(touchResolutionMs(idleMinutes), `${idleMinutes} min`).to.equal(ms);
  });

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
