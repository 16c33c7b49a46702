// Issue 12.1: a password whose code is pending, or was demanded and never given, signs the browser in
// nowhere: not /account, not /admin, not a second module through SSO (with or without acr_values),
// not prompt=none. The code then completes the sign-in everywhere. And every first-party page asks
// the risk question the modules get: a single-factor session that the rules would now step up (a
// new network, the practice turned to `always`) passes the code before /account or /admin.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { ACR_MFA } from '../../../src/mfa/risk/acr.js';
import { Browser, field, type Page } from '../../helpers/browser.js';
import { authorize, browserAt, finishAt, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';
const NEW_PASSWORD = 'Amber-Orchard-Signal-4567!';

describe('mfa: a pending second factor is signed in nowhere', () => {
  let bench: MfaBench;
  let practiceId: Types.ObjectId;

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'risk' });
    practiceId = (await bench.server.createPractice({ mfaPolicy: 'risk' }))._id;
  });
  after(() => bench.close());

  const isLoginPage = (page: Page) => page.status === 200 && page.html.includes('autocomplete="current-password"');
  /** A console page as the browser ends up seeing it (following the gate's sign-in redirects). */
  const open = async (browser: Browser, path: string) => browser.follow(await browser.get(bench.server.url(path)), bench.charting.redirectUri);

  it('password given, code pending: /account, /admin, password change, SSO and prompt=none all refuse; the code then completes', async () => {
    const admin = await bench.server.createUser({ practiceId, role: 'admin', password: PASSWORD });
    const browser = new Browser();
    const attempt = await passwordStep(browser, bench.charting, admin.email, PASSWORD);
    expect(isCodePage(attempt.page), 'code page').to.equal(true);
    const { code } = await bench.mail.nextTo(admin.email);
    // A real browser keeps each interaction's cookies under its own path; the test Browser keeps one
    // per name, so the code page's are put back before the code is typed.
    const interactionCookies = [...browser.cookies()].filter(([name]) => name.startsWith('_interaction'));
    expect(await bench.server.models.OidcRecord.countDocuments({ kind: 'Session', accountId: admin.sub }), 'no signed-in session').to.equal(0);

    for (const path of ['/account/', '/account/activity', '/admin/users']) {
      expect(isLoginPage(await open(browser, path)), path).to.equal(true);
    }
    const changed = await browser.post(bench.server.url('/account/password'), { _csrf: field(attempt.page.html, '_csrf'), current: PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(changed.status).to.equal(303);
    expect((await bench.server.models.User.findById(admin._id).lean())!.passwordHash, 'password unchanged').to.equal(admin.passwordHash);

    for (const params of [{}, { acr_values: ACR_MFA }] as Array<Record<string, string>>) {
      const sso = await authorize(browser, bench.billing, params);
      expect(isLoginPage(sso.page), `billing SSO ${JSON.stringify(params)}`).to.equal(true);
    }
    const silent = await authorize(browser, bench.billing, { prompt: 'none' });
    expect(new URL(silent.page.location!).searchParams.get('error')).to.equal('login_required');

    // The code completes the sign-in.
    for (const [name, value] of interactionCookies) browser.cookies().set(name, value);
    expect(await finishAt(browser, attempt, bench.charting, await submitCode(browser, attempt.page, code!))).to.include({ acr: ACR_MFA });
    expect((await open(browser, '/account/')).html).to.include(admin.email);
    expect(await finishAt(browser, await authorize(browser, bench.billing), bench.billing)).to.include({ acr: ACR_MFA, sub: admin.sub });
  });

  it('a step-up demanded by the first module and not given leaves a second module nothing to ride on', async () => {
    // A trusted address: the risk rules alone would waive the code; the app's acr_values demands it.
    await bench.server.idp.mfa.trustedIps.add({ practiceId, entry: '198.51.100.0/24', description: 'Front desk' });
    const user = await bench.server.createUser({ practiceId, password: PASSWORD });
    const browser = browserAt('198.51.100.7');
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD, { acr_values: ACR_MFA });
    expect(isCodePage(attempt.page)).to.equal(true);
    expect(isLoginPage((await authorize(browser, bench.billing)).page), 'billing without acr_values').to.equal(true);
  });

  it('a password-only session from a trusted address is stepped up before /account when it moves to a new network', async () => {
    const user = await bench.server.createUser({ practiceId, password: PASSWORD });
    const browser = browserAt('198.51.100.8');
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(await finishAt(browser, attempt, bench.charting)).to.include({ acr: 'urn:ehr-idp:acr:pwd' });
    expect((await open(browser, '/account/')).html, 'at the trusted address').to.include(user.email);

    browser.from = '203.0.113.40';
    const page = await open(browser, '/account/');
    expect(isCodePage(page), 'code before /account from a new network').to.equal(true);
    const { code } = await bench.mail.nextTo(user.email);
    expect((await browser.follow(await submitCode(browser, page, code!))).html).to.include(user.email);
  });

  it('a password-only session is stepped up before /account once the practice asks for a code at every sign-in', async () => {
    const practice = await bench.server.createPractice({ mfaPolicy: 'off' });
    const user = await bench.server.createUser({ practiceId: practice._id, password: PASSWORD });
    const browser = browserAt('192.0.2.30');
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    await finishAt(browser, attempt, bench.charting);
    expect((await open(browser, '/account/')).html).to.include(user.email);

    await bench.server.models.Practice.updateOne({ _id: practice._id }, { $set: { mfaPolicy: 'always' } });
    expect(isCodePage(await open(browser, '/account/')), 'policy always').to.equal(true);
    await bench.mail.nextTo(user.email);
  });
});
