// The store becomes unreachable in the middle of a sign-in: every step answers 503 "try again" (a
// page for browsers, JSON `temporarily_unavailable` for APIs) within the driver's bounded wait,
// nothing is half-written, and the same browser finishes once the store is back.
import { expect } from 'chai';
import { ACR_MFA } from '../../../src/mfa/risk/acr.js';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { finishAt, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { startAuthorization } from '../../helpers/rp.js';
import { outageStore, type OutageStore } from './outage-store.js';

const PASSWORD = 'Outages happen at night 4';

function expectTryAgainPage(page: Page): void {
  expect(page.status, page.html).to.equal(503);
  expect(page.html).to.include('Temporarily unavailable').and.include('try again').and.include('temporarily_unavailable');
  expect(page.html).not.to.match(/Mongo|ECONN|EPIPE|\n\s+at /);
}

async function api(url: string, init: { form?: Record<string, string>; token?: string } = {}) {
  const res = await fetch(url, {
    method: init.form ? 'POST' : 'GET',
    headers: {
      accept: 'application/json',
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, string> };
}

describe('faults: the store is unreachable mid sign-in (embedded store only: a real MongoDB cannot be stopped from here)', function () {
  this.timeout(30_000);
  let store: OutageStore;
  let bench: MfaBench;
  const audit = (userSub: string) => bench.server.models.AuditEntry.find({ userSub }).sort({ seq: 1 }).lean();

  before(async function () {
    if (process.env.MONGODB_URI) this.skip();
    store = await outageStore();
    bench = await startMfaBench({ store, mfaPolicy: 'always' });
  });
  afterEach(async () => {
    if (store && !store.embedded) await store.restart();
  });
  after(async () => {
    await bench?.close();
    await store?.close();
  });

  it('the password step answers 503 and writes nothing; the same browser signs in once the store is back', async () => {
    const user = await bench.server.createUser({ email: 'kim.ito@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: '198.51.100.70' });
    const start = await startAuthorization(bench.charting);
    const login = await browser.follow(await browser.get(start.url.href), bench.charting.redirectUri);
    const form = { action: formAction(login, '/login'), csrf: field(login.html, '_csrf') };

    await store.stop();
    expectTryAgainPage(await browser.post(form.action, { _csrf: form.csrf, email: user.email, password: 'not the password' }));
    expectTryAgainPage(await browser.post(form.action, { _csrf: form.csrf, email: user.email, password: PASSWORD }));
    expectTryAgainPage(await browser.get(login.url)); // a reload
    await store.restart();

    // Nothing of the outage attempts reached the store: no audit entry, no lockout failure.
    expect(await audit(user.sub)).to.deep.equal([]);
    expect((await bench.server.models.User.findById(user._id).lean())!.lockout.failures).to.equal(0);

    // The same page, form and browser carry on.
    const codePage = await browser.follow(
      await browser.post(form.action, { _csrf: form.csrf, email: user.email, password: PASSWORD }), bench.charting.redirectUri);
    expect(isCodePage(codePage)).to.equal(true);
    const { code } = await bench.mail.nextTo(user.email);
    const claims = await finishAt(browser, { start, page: codePage }, bench.charting, await submitCode(browser, codePage, code!));
    expect(claims).to.include({ acr: ACR_MFA, sub: user.sub });
    expect((await audit(user.sub)).map((entry) => entry.event)).to.include.ordered.members(['signin.password.succeeded', 'mfa.required', 'mfa.code.sent'])
      .and.not.include('signin.password.failed');
  });

  it('a code entered during an outage is neither counted nor burned, and works once the store is back', async () => {
    const user = await bench.server.createUser({ email: 'lee.wu@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: '198.51.100.71' });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(isCodePage(attempt.page)).to.equal(true);
    const { code } = await bench.mail.nextTo(user.email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');

    await store.stop();
    expectTryAgainPage(await submitCode(browser, attempt.page, wrong));
    expectTryAgainPage(await submitCode(browser, attempt.page, code!));
    await store.restart();

    const challenge = await bench.server.models.OtpChallenge.findOne({ accountId: user.sub }).lean();
    expect(challenge).to.include({ attempts: 0 });
    expect(challenge?.usedAt).to.equal(undefined);
    const claims = await finishAt(browser, attempt, bench.charting, await submitCode(browser, attempt.page, code!));
    expect(claims).to.include({ acr: ACR_MFA, sub: user.sub });
    expect((await audit(user.sub)).map((entry) => entry.event)).not.to.include('mfa.code.failed');
  });

  it('the provider\'s own endpoints: JSON 503 temporarily_unavailable with Retry-After for APIs, the page for /auth', async () => {
    const user = await bench.server.createUser({ email: 'ray.ode@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: '198.51.100.72' });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD, { scope: 'openid offline_access', prompt: 'consent' });
    const { code } = await bench.mail.nextTo(user.email);
    const callback = await browser.follow(await submitCode(browser, attempt.page, code!), bench.charting.redirectUri);
    const issued = await api(bench.server.url('/token'), { form: {
      client_id: 'charting', grant_type: 'authorization_code', redirect_uri: bench.charting.redirectUri,
      code: new URL(callback.location!).searchParams.get('code')!, code_verifier: attempt.start.verifier,
    } });
    expect(issued.status, JSON.stringify(issued.body)).to.equal(200);

    await store.stop();
    const refresh = { client_id: 'charting', grant_type: 'refresh_token', refresh_token: issued.body.refresh_token! };
    for (const answer of [await api(bench.server.url('/token'), { form: refresh }), await api(bench.server.url('/me'), { token: issued.body.access_token! })]) {
      expect(answer.status).to.equal(503);
      expect(answer.body).to.deep.equal({ error: 'temporarily_unavailable', error_description: 'This service is temporarily unavailable. Please wait a moment and try again.' });
      expect(answer.retryAfter).to.equal('5');
    }
    expectTryAgainPage(await new Browser().get((await startAuthorization(bench.charting)).url.href));
    await store.restart();

    // The refresh token was not rotated away by the failed attempt.
    const refreshed = await api(bench.server.url('/token'), { form: refresh });
    expect(refreshed.status, JSON.stringify(refreshed.body)).to.equal(200);
    expect((await api(bench.server.url('/me'), { token: refreshed.body.access_token! })).body).to.include({ sub: user.sub });
  });
});
