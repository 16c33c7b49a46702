// "Phishing-resistant required" (a practice switch: nobody, admins, everyone) through the real
// sign-in pages with a software authenticator: such a user's sign-in completes only with a passkey,
// even where the practice asks no code at all; codes, authenticator-app codes and resends posted
// anyway do nothing. A user without a passkey proves their password and a factor they hold, which
// only opens the passkey registration within the sign-in; then that passkey signs them in (acr phr).
import { expect } from 'chai';
import type { UserDoc } from '../../../src/accounts/service.js';
import { ACR_PHR } from '../../../src/mfa/risk/acr.js';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { authorize, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { exchange, untilCallback } from '../../helpers/rp.js';
import { SoftAuthenticator } from '../../helpers/soft-authenticator.js';
import { PASSWORD } from '../account/bench.js';
import { appCode } from './bench.js';
import { enrolSoftPasskey, pageOptions, setPasskeyPolicy } from './passkey-steps.js';

describe('factors: phishing-resistant required by the practice', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  before(async () => {
    // The practice asks no code at all: only the switch makes the passkey necessary.
    bench = await startMfaBench({ mfaPolicy: 'off' });
  });
  after(() => bench.close());

  const completions = (user: UserDoc) => bench.server.models.AuditEntry.countDocuments({ userSub: user.sub, event: 'signin.completed' });
  const ceremonyPage = (page: Page) => page.status < 300 && /id="webauthn-form"[^>]*data-mode="authenticate"/.test(page.html);
  const postCeremony = (browser: Browser, page: Page, soft: SoftAuthenticator) =>
    browser.post(formAction(page, '/verify-webauthn'), { _csrf: field(page.html, '_csrf'), response: JSON.stringify(soft.assert(pageOptions(page))) });

  async function practiceRequiring(requiredFor: 'admins' | 'everyone') {
    const practice = await bench.server.createPractice({ name: `Requires ${requiredFor}`, mfaPolicy: 'off' });
    await setPasskeyPolicy(bench, practice._id, { phishingResistantRequired: requiredFor });
    return practice._id;
  }

  it('a user with a passkey: the password leads only to the passkey; a code, an app code or a resend posted anyway does not sign in; the passkey does (acr phr)', async () => {
    const practiceId = (await bench.server.createPractice({ name: 'Later requires everyone', mfaPolicy: 'off' }))._id;
    const user = await bench.server.createUser({ email: 'holder@clinic.test', password: PASSWORD, practiceId });
    const soft = await enrolSoftPasskey(bench, user);
    // An authenticator app too (through the factor service: the account page would now ask for the passkey).
    const { totp } = bench.server.idp.mfa.factors;
    const key = (await totp.startEnrolment(user)).manualKey.replace(/ /g, '');
    expect(await totp.confirm(user, appCode(bench, key))).to.equal('ok');
    await setPasskeyPolicy(bench, practiceId, { phishingResistantRequired: 'everyone' });
    bench.server.clock.advance(60_000);
    const before = await completions(user);
    const mails = bench.mail.messages.length;

    const browser = new Browser();
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(ceremonyPage(attempt.page), 'the passkey is asked').to.equal(true);
    expect(attempt.page.html).not.to.include('name="code"').and.not.to.include('Send the code by email instead');
    const action = (name: string) => formAction(attempt.page, '/abort').replace(/\/abort$/, `/${name}`);
    const csrf = field(attempt.page.html, '_csrf');
    await browser.post(action('verify-factor'), { _csrf: csrf, factor: 'totp', code: appCode(bench, key) });
    await browser.post(action('verify'), { _csrf: csrf, code: '123456' });
    await browser.post(action('resend'), { _csrf: csrf, channel: 'email' });
    expect(await completions(user), 'not signed in').to.equal(before);
    expect(bench.mail.messages.length, 'no code sent').to.equal(mails);

    const callback = await untilCallback(browser, bench.charting, await postCeremony(browser, attempt.page, soft));
    const claims = (await exchange(bench.charting, attempt.start, callback)).claims()!;
    expect(claims.acr).to.equal(ACR_PHR);
    expect(claims.amr).to.deep.equal(['pwd', 'hwk', 'user', 'mfa']);
  });

  it('a user without a passkey: password and emailed code only open the passkey registration; the new passkey then signs them in (acr phr), audited and emailed', async () => {
    const practiceId = await practiceRequiring('everyone');
    const user = await bench.server.createUser({ email: 'newcomer@clinic.test', password: PASSWORD, practiceId });
    const browser = new Browser();
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(isCodePage(attempt.page), 'a factor they hold is asked first').to.equal(true);
    const code = (await bench.mail.nextTo(user.email)).code!;
    const enrol = await browser.follow(await submitCode(browser, attempt.page, code), bench.charting.redirectUri);
    expect(enrol.html).to.include('data-mode="register"').and.include('Add a passkey to continue');
    expect(await completions(user), 'the code did not sign in').to.equal(0);

    const soft = new SoftAuthenticator(new URL(bench.server.issuer).origin);
    const registered = await browser.post(formAction(enrol, '/register-passkey'), {
      _csrf: field(enrol.html, '_csrf'), kind: 'passkey', name: 'Front desk laptop', response: JSON.stringify(soft.register(pageOptions(enrol))),
    });
    const ceremony = await browser.follow(registered, bench.charting.redirectUri);
    expect(ceremonyPage(ceremony), 'then the passkey is asked').to.equal(true);
    expect(await completions(user)).to.equal(0);
    const enrolled = (await bench.server.models.AuditEntry.findOne({ userSub: user.sub, event: 'factor.enrolled' }).lean())!;
    expect(enrolled.reasons).to.deep.equal(['phishing_resistant_required']);
    expect(enrolled.details).to.deep.include({ factor: 'webauthn', name: 'Front desk laptop' });
    expect((await bench.mail.nextTo(user.email)).subject).to.equal('A passkey or security key was added to your account');

    const callback = await untilCallback(browser, bench.charting, await postCeremony(browser, ceremony, soft));
    expect((await exchange(bench.charting, attempt.start, callback)).claims()!.acr).to.equal(ACR_PHR);
  });

  it('the registration page cannot be reached or posted to without a proven factor', async () => {
    const practiceId = await practiceRequiring('everyone');
    const user = await bench.server.createUser({ email: 'skipper@clinic.test', password: PASSWORD, practiceId });
    const browser = new Browser();
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    const soft = new SoftAuthenticator(new URL(bench.server.issuer).origin);
    const posted = await browser.post(formAction(attempt.page, '/verify').replace(/\/verify$/, '/register-passkey'), {
      _csrf: field(attempt.page.html, '_csrf'), kind: 'passkey', name: 'Sneaky', response: JSON.stringify(soft.register({ challenge: 'Y2hhbGxlbmdl', rp: {}, user: { id: 'eA' } })),
    });
    expect(posted.status).to.equal(303);
    expect(await bench.server.models.UserFactor.countDocuments({ userId: user._id, kind: 'webauthn' })).to.equal(0);
    expect(isCodePage(await browser.follow(posted, bench.charting.redirectUri)), 'still the code page').to.equal(true);
  });

  it('required for admins: staff sign in with the password alone as before; an admin is held for the passkey', async () => {
    const practiceId = await practiceRequiring('admins');
    const staff = await bench.server.createUser({ email: 'staff@clinic.test', password: PASSWORD, practiceId, role: 'staff' });
    const admin = await bench.server.createUser({ email: 'boss@clinic.test', password: PASSWORD, practiceId, role: 'admin' });
    const staffBrowser = new Browser();
    const staffAttempt = await passwordStep(staffBrowser, bench.charting, staff.email, PASSWORD);
    expect(staffAttempt.page.location ?? '', 'straight back to the app').to.include(bench.charting.redirectUri);
    const adminAttempt = await passwordStep(new Browser(), bench.charting, admin.email, PASSWORD);
    expect(isCodePage(adminAttempt.page), 'a factor first, to register a passkey').to.equal(true);
    expect(adminAttempt.page.html).to.include('The practice requires a passkey or security key of this user at every sign-in.');
    expect(await completions(admin)).to.equal(0);
  });

  it('a session signed in before the switch is stepped up at the next app request (code, passkey registration, passkey): no app gets it below phr', async () => {
    const practiceId = (await bench.server.createPractice({ name: 'Switch turned on later', mfaPolicy: 'off' }))._id;
    const user = await bench.server.createUser({ email: 'before-switch@clinic.test', password: PASSWORD, practiceId });
    const browser = new Browser();
    const first = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(first.page.location ?? '', 'password alone, before the switch').to.include(bench.charting.redirectUri);
    await setPasskeyPolicy(bench, practiceId, { phishingResistantRequired: 'everyone' });
    const sso = await authorize(browser, bench.billing);
    expect(isCodePage(sso.page), 'no silent SSO: a factor first, then the passkey registration').to.equal(true);
    expect(sso.page.html).to.include('The practice requires a passkey or security key of this user at every sign-in.');
    const enrol = await browser.follow(await submitCode(browser, sso.page, (await bench.mail.nextTo(user.email)).code!), bench.billing.redirectUri);
    const soft = new SoftAuthenticator(new URL(bench.server.issuer).origin);
    const registered = await browser.post(formAction(enrol, '/register-passkey'), { _csrf: field(enrol.html, '_csrf'), kind: 'passkey', name: 'Laptop', response: JSON.stringify(soft.register(pageOptions(enrol))) });
    const ceremony = await browser.follow(registered, bench.billing.redirectUri);
    const callback = await untilCallback(browser, bench.billing, await postCeremony(browser, ceremony, soft));
    expect((await exchange(bench.billing, sso.start, callback)).claims()!.acr).to.equal(ACR_PHR);
  });
});
