// Each limit through HTTP: the request over the limit gets 429, Retry-After, a friendly page (or a
// JSON error on the token endpoint) and an audit entry naming the limit; the window's end (the
// injected clock) opens it again. Small limits come from RATE_LIMITS; a trusted proxy at
// 127.0.0.1 lets each Browser speak from its own client IP.
import { expect } from 'chai';
import { auditEntryModel } from '../../../src/store/models/audit-entry.js';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { isCodePage, passwordStep, requestCode, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { startAuthorization, submitLogin } from '../../helpers/rp.js';

const PASSWORD = 'A long harbor passphrase 7';
const LIMITS = 'signin_ip=3/60,signin_account=2/900,code_entry=2/900,token_ip=2/60';

describe('security: rate limits over HTTP', () => {
  let bench: MfaBench;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always', env: { RATE_LIMITS: LIMITS, CODE_MESSAGES_MAX: '2' } });
  });
  after(() => bench.close());

  const audits = () => auditEntryModel(bench.server.connection);
  /** Moves the app clock to the start of the next window of `seconds` (every window is aligned). */
  const nextWindow = (seconds: number) => {
    const ms = seconds * 1000;
    bench.server.clock.set((Math.floor(bench.server.clock.now() / ms) + 1) * ms);
  };

  async function loginPage(browser: Browser): Promise<Page> {
    const start = await startAuthorization(bench.charting);
    return browser.follow(await browser.get(start.url.href), bench.charting.redirectUri);
  }

  function expectLimited(page: Page) {
    expect(page.status).to.equal(429);
    expect(page.html).to.include('Too many attempts').and.include('rate_limited');
    expect(page.html).to.not.match(/at .*\.ts:\d+/); // no stack trace
  }

  it('signin_ip: the 4th sign-in POST from one IP in a minute gets 429 + Retry-After and is audited; other IPs are not affected', async () => {
    nextWindow(900);
    const browser = new Browser({ from: '198.51.100.1' });
    for (let i = 0; i < 3; i++) {
      const page = await submitLogin(browser, await loginPage(browser), `nobody${i}@clinic.test`, 'wrong password');
      expect(page.status).to.equal(401);
    }
    bench.server.clock.advance(15_000);
    const refused = await fetchLimited(browser);
    expectLimited(refused.page);
    expect(refused.retryAfter).to.equal('45');

    const other = new Browser({ from: '198.51.100.2' });
    expect((await submitLogin(other, await loginPage(other), 'nobody@clinic.test', 'wrong password')).status).to.equal(401);

    const entry = await audits().findOne({ event: 'request.rate_limited', ip: '198.51.100.1' }).lean();
    expect(entry?.reasons).to.deep.equal(['signin_ip']);
    expect(entry?.outcome).to.equal('failure');

    bench.server.clock.advance(45_000);
    expect((await submitLogin(browser, await loginPage(browser), 'nobody@clinic.test', 'wrong password')).status).to.equal(401);
  });

  /** Posts a real login form (valid CSRF) and returns the page and its Retry-After header. */
  async function fetchLimited(browser: Browser, email = 'nobody@clinic.test') {
    const page = await loginPage(browser);
    const res = await fetch(formAction(page, '/login'), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': browser.from!,
        cookie: [...browser.cookies()].map(([name, value]) => `${name}=${value}`).join('; '),
      },
      body: new URLSearchParams({ _csrf: field(page.html, '_csrf'), email, password: 'wrong password' }).toString(),
    });
    return { page: { status: res.status, url: res.url, location: null, html: await res.text() } as Page, retryAfter: res.headers.get('retry-after') };
  }

  it('signin_account: the 3rd try at one account from one IP is refused, the same account from elsewhere is not; the email is never in the audit entry', async () => {
    nextWindow(900);
    const user = await bench.server.createUser({ email: 'stuffed@clinic.test', password: PASSWORD });
    const attacker = new Browser({ from: '203.0.113.50' });
    for (let i = 0; i < 2; i++) expect((await submitLogin(attacker, await loginPage(attacker), user.email, `guess ${i}`)).status).to.equal(401);
    const refused = await fetchLimited(attacker, user.email.toUpperCase());
    expectLimited(refused.page);
    expect(Number(refused.retryAfter)).to.equal(900);

    const owner = new Browser({ from: '198.51.100.77' });
    const page = await submitLogin(owner, await loginPage(owner), user.email, PASSWORD);
    expect(isCodePage(await owner.follow(page, bench.charting.redirectUri))).to.equal(true);

    const entry = await audits().findOne({ event: 'request.rate_limited', ip: '203.0.113.50' }).lean();
    expect(entry?.reasons).to.deep.equal(['signin_account']);
    expect(JSON.stringify(entry)).to.not.include('stuffed');
  });

  it('code_entry: the 3rd code entry of one user from one IP gets 429 and an audit entry with the user', async () => {
    nextWindow(3600);
    const user = await bench.server.createUser({ email: 'codes@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: '198.51.100.30' });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    await bench.mail.nextTo(user.email);
    for (let i = 0; i < 2; i++) expect((await submitCode(browser, attempt.page, '000000')).status).to.equal(401);
    const refused = await submitCode(browser, attempt.page, '000000');
    expectLimited(refused);
    const entry = await audits().findOne({ event: 'request.rate_limited', userSub: user.sub }).lean();
    expect(entry?.reasons).to.deep.equal(['code_entry']);
    expect(entry?.practiceId).to.equal(user.practiceId.toHexString());
  });

  it('code messages: with CODE_MESSAGES_MAX=2, the third code message to a user is refused with 429 and audited (a flood of SMS/email is stopped per account)', async () => {
    const user = await bench.server.createUser({ email: 'resend@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: '198.51.100.31' });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    await bench.mail.nextTo(user.email);
    bench.server.clock.advance(30_000);
    const first = await requestCode(browser, attempt.page);
    expect(first.status).to.equal(200);
    bench.server.clock.advance(30_000);
    const refused = await requestCode(browser, attempt.page);
    expect(refused.status).to.equal(429);
    expect(refused.html).to.include('You have asked for too many codes');
    const entry = await audits().findOne({ event: 'request.rate_limited', userSub: user.sub }).lean();
    expect(entry?.reasons).to.deep.equal(['code_messages']);
  });

  it('token_ip: the 3rd POST /token from one IP in a minute gets 429 JSON { error: rate_limited } with Retry-After', async () => {
    nextWindow(60);
    const post = () => fetch(bench.server.url('/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.10' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'guess', client_id: 'charting', redirect_uri: bench.charting.redirectUri }).toString(),
    });
    for (let i = 0; i < 2; i++) expect((await post()).status).to.equal(400);
    const refused = await post();
    expect(refused.status).to.equal(429);
    expect(refused.headers.get('retry-after')).to.equal('60');
    expect(refused.headers.get('content-type')).to.include('application/json');
    expect(await refused.json()).to.deep.include({ error: 'rate_limited' });
    const entry = await audits().findOne({ event: 'request.rate_limited', ip: '192.0.2.10' }).lean();
    expect(entry?.reasons).to.deep.equal(['token_ip']);
  });
});
