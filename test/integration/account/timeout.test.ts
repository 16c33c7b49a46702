// Session time-outs through HTTP with an injected clock: a module's SSO authorization rides on the
// browser session while it is in use; after the practice's idle time-out (default 15 minutes) or the
// 12-hour lifetime the next authorization, and the next /account page, show the sign-in page.
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { FakeClock } from '../../helpers/clock.js';
import { relyingParty, signIn, startAuthorization, submitLogin, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import type { UserDoc } from '../../../src/accounts/service.js';

const MINUTE = 60_000;
const REDIRECT = 'http://127.0.0.1:9/callback';

describe('account: session idle time-out and lifetime', () => {
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

  async function signedInBrowser(): Promise<{ browser: Browser; user: UserDoc }> {
    const user = await server.createUser({ password });
    const browser = new Browser();
    await signIn(browser, rp, user.email, password);
    return { browser, user };
  }

  it('keeps the session through use and ends it after 16 idle minutes (not after 14)', async () => {
    const { browser, user } = await signedInBrowser();
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
    expect(back.location).to.match(/^http:\/\/127\.0\.0\.1:9\/callback\?code=/);
    expect(await authorize(browser)).to.equal('app');
  });

  it('honours the practice\'s own idle time-out', async () => {
    const { browser, user } = await signedInBrowser();
    await server.models.Practice.updateOne({ _id: user.practiceId }, { $set: { sessionIdleMinutes: 60 } });
    try {
      clock.advance(45 * MINUTE);
      expect(await authorize(browser)).to.equal('app');
      clock.advance(61 * MINUTE);
      expect(await authorize(browser)).to.equal('login');
    } finally {
      await server.models.Practice.updateOne({ _id: user.practiceId }, { $set: { sessionIdleMinutes: 15 } });
    }
  });

  it('ends a session in constant use 12 hours after its sign-in', async () => {
    const { browser, user } = await signedInBrowser();
    await server.models.Practice.updateOne({ _id: user.practiceId }, { $set: { sessionIdleMinutes: 720 } });
    try {
      clock.advance(11 * 60 * MINUTE);
      expect(await authorize(browser)).to.equal('app');
      clock.advance(59 * MINUTE);
      expect(await authorize(browser)).to.equal('app');
      clock.advance(MINUTE); // 12 hours, though used a minute ago
      expect(await authorize(browser)).to.equal('login');
    } finally {
      await server.models.Practice.updateOne({ _id: user.practiceId }, { $set: { sessionIdleMinutes: 15 } });
    }
  });

  it('sends an idle /account visit to the sign-in page; using /account keeps the session alive', async () => {
    const { browser } = await signedInBrowser();
    const account = async () => browser.follow(await browser.get(server.url('/account/')), REDIRECT);
    clock.advance(10 * MINUTE);
    expect((await account()).html).to.contain('Sign out everywhere');
    clock.advance(10 * MINUTE); // 20 minutes since the sign-in, 10 since /account
    expect(await authorize(browser)).to.equal('app');
    clock.advance(16 * MINUTE);
    const page = await account();
    expect(page.html).to.contain('autocomplete="current-password"');
  });
});
