// One person, two practices, one browser: the practice entered decides the rules (its MFA mode,
// its trusted IPs), the chooser and practice_hint pick it, an app registered to one practice skips
// the chooser, and the `practice`/`roles` claims (ID token, userinfo) follow the practice of THAT
// authorization, also after a switch. Through the real server and openid-client.
import { expect } from 'chai';
import { Types } from 'mongoose';
import * as oidc from 'openid-client';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { authorize, finishAt, isCodePage, passwordStep, REDIRECT, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { exchange, relyingParty, untilCallback, type RelyingParty } from '../../helpers/rp.js';

const PASSWORD = 'A long harbor passphrase 7';
const OFFICE_IP = '198.51.100.42';

describe('memberships: signing in to one of several practices', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  let relaxed: Types.ObjectId; // "Harbor Clinic": mfa off, trusts the office range
  let strict: Types.ObjectId; // "Valley Clinic": risk-based, trusts nothing

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'risk' });
    relaxed = (await bench.server.createPractice({ name: 'Harbor Clinic', mfaPolicy: 'off' }))._id;
    strict = (await bench.server.createPractice({ name: 'Valley Clinic', mfaPolicy: 'risk' }))._id;
    await bench.server.idp.mfa.trustedIps.add({ practiceId: relaxed, entry: '198.51.100.0/24', description: 'Harbor office' });
  });
  after(() => bench.close());

  async function locum(email: string) {
    const user = await bench.server.createUser({ practiceId: relaxed, email, password: PASSWORD, role: 'clinician' });
    await bench.server.idp.accounts.memberships.addMembership({ userId: user._id, practiceId: strict, role: 'admin' });
    return user;
  }

  const choose = (browser: Browser, page: Page, practiceId: Types.ObjectId) =>
    browser.post(formAction(page, '/practice'), { _csrf: field(page.html, '_csrf'), practice: String(practiceId) });

  /** To the app's callback, code exchange, then userinfo (the `practice` and `roles` claims of THIS authorization). */
  async function finishInfo(browser: Browser, attempt: { start: Parameters<typeof exchange>[1]; page: Page }, rp: RelyingParty, page = attempt.page) {
    const tokens = await exchange(rp, attempt.start, await untilCallback(browser, rp, page));
    return oidc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
  }

  async function codeFor(email: string) {
    return (await bench.mail.nextTo(email)).code!;
  }

  it('the same person from the same browser and IP: no code entering the practice with MFA off, a code entering the other (its trusted-IP-free risk rules), without the password again', async () => {
    const user = await locum('locum.one@clinic.test');
    const browser = new Browser({ from: OFFICE_IP });
    const first = await passwordStep(browser, bench.charting, user.email, PASSWORD, { practice_hint: String(relaxed) });
    expect(isCodePage(first.page), 'Harbor (mfa off) asks no code').to.equal(false);
    const harbor = await finishInfo(browser, first, bench.charting);
    expect(harbor.practice).to.deep.equal({ id: String(relaxed), name: 'Harbor Clinic' });
    expect(harbor.roles).to.deep.equal(['clinician']);

    // SSO into Valley from the Harbor office: Harbor's trusted range must not waive Valley's code.
    const second = await authorize(browser, bench.billing, { practice_hint: String(strict) });
    expect(second.page.html, 'no password page').to.not.include('autocomplete="current-password"');
    expect(isCodePage(second.page), 'Valley asks a code').to.equal(true);
    const valley = await finishInfo(browser, second, bench.billing, await submitCode(browser, second.page, await codeFor(user.email)));
    expect(valley.practice).to.deep.equal({ id: String(strict), name: 'Valley Clinic' });
    expect(valley.roles).to.deep.equal(['admin']);
  });

  it('a trusted IP of one practice never waives another: Valley from the Harbor office range asks a code on a fresh sign-in too', async () => {
    const user = await locum('locum.two@clinic.test');
    const attempt = await passwordStep(new Browser({ from: OFFICE_IP }), bench.charting, user.email, PASSWORD, { practice_hint: String(strict) });
    expect(isCodePage(attempt.page)).to.equal(true);
  });

  it('several active practices and no hint: the chooser lists only this person\'s practices; a hint naming a practice they are not in is treated as no hint', async () => {
    const user = await locum('locum.three@clinic.test');
    const other = (await bench.server.createPractice({ name: 'Secret Clinic', mfaPolicy: 'off' }))._id;
    for (const hint of [undefined, String(other), String(new Types.ObjectId()), 'not-an-id']) {
      const browser = new Browser({ from: OFFICE_IP });
      const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD, hint ? { practice_hint: hint } : {});
      expect(attempt.page.status, String(hint)).to.equal(200);
      expect(attempt.page.html, String(hint)).to.include('Harbor Clinic').and.to.include('Valley Clinic').and.not.include('Secret Clinic');
      expect(attempt.page.html).to.include('name="_csrf"');
      // A practice they are not in, posted by hand, is refused on the page.
      const refused = await choose(browser, attempt.page, other);
      expect(refused.status).to.equal(400);
      expect(refused.html).to.not.include('Secret Clinic');
      if (hint === undefined) {
        const picked = await browser.follow(await choose(browser, attempt.page, relaxed), REDIRECT);
        const claims = await finishInfo(browser, attempt, bench.charting, picked);
        expect(claims.practice).to.deep.equal({ id: String(relaxed), name: 'Harbor Clinic' });
      }
    }
  });

  it('prompt=select_account in a signed-in browser shows the chooser without the password; the chosen practice\'s rules then apply', async () => {
    const user = await locum('locum.four@clinic.test');
    const browser = new Browser({ from: OFFICE_IP });
    await finishAt(browser, await passwordStep(browser, bench.charting, user.email, PASSWORD, { practice_hint: String(relaxed) }), bench.charting);
    const switching = await authorize(browser, bench.charting, { prompt: 'select_account' });
    expect(switching.page.html).to.include('Valley Clinic').and.not.include('autocomplete="current-password"');
    const next = await browser.follow(await choose(browser, switching.page, strict), REDIRECT);
    expect(isCodePage(next), 'Valley asks its code').to.equal(true);
    const claims = await finishInfo(browser, switching, bench.charting, await submitCode(browser, next, await codeFor(user.email)));
    expect(claims.practice).to.deep.equal({ id: String(strict), name: 'Valley Clinic' });
  });

  it('an app registered to one practice skips the chooser and enters that practice', async () => {
    const user = await locum('locum.five@clinic.test');
    await bench.server.createClient({ clientId: 'harbor-scheduling', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT], practiceId: String(relaxed) });
    const rp = await relyingParty(bench.server, 'harbor-scheduling', undefined, REDIRECT);
    const browser = new Browser({ from: OFFICE_IP });
    const attempt = await passwordStep(browser, rp, user.email, PASSWORD, { practice_hint: String(strict) });
    expect(isCodePage(attempt.page)).to.equal(false);
    const claims = await finishInfo(browser, attempt, rp);
    expect(claims.practice).to.deep.equal({ id: String(relaxed), name: 'Harbor Clinic' });
  });

  it('claims follow the authorization: userinfo answers for the practice its grant entered; a module switching practice gets a new grant (the old practice\'s session-bound tokens end), and a deactivated membership answers nothing', async () => {
    const user = await locum('locum.six@clinic.test');
    const browser = new Browser({ from: OFFICE_IP });
    const first = await passwordStep(browser, bench.charting, user.email, PASSWORD, { practice_hint: String(relaxed) });
    const harborTokens = await exchange(bench.charting, first.start, await untilCallback(browser, bench.charting, first.page));
    const harborInfo = await oidc.fetchUserInfo(bench.charting.config, harborTokens.access_token, user.sub);
    expect(harborInfo.practice).to.deep.equal({ id: String(relaxed), name: 'Harbor Clinic' });
    expect(harborInfo.roles).to.deep.equal(['clinician']);

    const second = await authorize(browser, bench.charting, { practice_hint: String(strict) });
    const valleyTokens = await exchange(bench.charting, second.start, await untilCallback(browser, bench.charting, await submitCode(browser, second.page, await codeFor(user.email))));
    const valleyInfo = await oidc.fetchUserInfo(bench.charting.config, valleyTokens.access_token, user.sub);
    expect(valleyInfo.practice).to.deep.equal({ id: String(strict), name: 'Valley Clinic' });
    expect(valleyInfo.roles).to.deep.equal(['admin']);
    expect(await bench.server.models.PracticeEntry.countDocuments({ accountId: user.sub, clientId: 'charting' }), 'one grant per practice').to.equal(2);
    const refusedOld = await fetch(new URL('/me', bench.server.issuer), { headers: { authorization: `Bearer ${harborTokens.access_token}` } });
    expect(refusedOld.status, 'the old practice\'s token of the same module').to.equal(401);

    // Another module still in Harbor keeps working when Valley deactivates the person.
    const billing = await authorize(browser, bench.billing, { practice_hint: String(relaxed) });
    const billingTokens = await exchange(bench.billing, billing.start, await untilCallback(browser, bench.billing, billing.page));
    await bench.server.idp.accounts.memberships.deactivateMembership(user._id, strict);
    const refused = await fetch(new URL('/me', bench.server.issuer), { headers: { authorization: `Bearer ${valleyTokens.access_token}` } });
    expect(refused.status, 'userinfo of the deactivated practice').to.equal(401);
    expect((await oidc.fetchUserInfo(bench.billing.config, billingTokens.access_token, user.sub)).practice).to.deep.equal({ id: String(relaxed), name: 'Harbor Clinic' });
  });

  it('a person whose memberships are all deactivated fails the password step like a wrong password', async () => {
    const user = await locum('locum.seven@clinic.test');
    await bench.server.idp.accounts.memberships.deactivateMembership(user._id, relaxed);
    await bench.server.idp.accounts.memberships.deactivateMembership(user._id, strict);
    const deactivated = await passwordStep(new Browser({ from: OFFICE_IP }), bench.charting, user.email, PASSWORD);
    const wrong = await passwordStep(new Browser({ from: OFFICE_IP }), bench.charting, 'locum.one@clinic.test', 'Not the passphrase 7');
    expect(deactivated.page.status).to.equal(wrong.page.status);
    expect(deactivated.page.html.replace(/value="[^"]*"/g, '').replace(/\/interaction\/[\w-]+/g, ''))
      .to.equal(wrong.page.html.replace(/value="[^"]*"/g, '').replace(/\/interaction\/[\w-]+/g, ''));
  });
});
