// A user of a practice requiring passkeys who lost every factor (their passkey and their
// authenticator app): stuck at the passkey step, nothing else is offered or checked. Their admin,
// signed in with their own passkey, removes the lost factors on the user's page (audited, the user
// emailed); the user's next sign-in is password, emailed code, a new passkey registered inside the
// sign-in, then that passkey (acr phr). The lost passkey signs in nowhere afterwards.
import { expect } from 'chai';
import { ACR_PHR } from '../../../src/mfa/risk/acr.js';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { exchange, submitLogin, untilCallback } from '../../helpers/rp.js';
import { SoftAuthenticator } from '../../helpers/soft-authenticator.js';
import { PASSWORD } from '../account/bench.js';
import { appCode } from './bench.js';
import { pageOptions, setPasskeyPolicy, softPasskeyOf } from './passkey-steps.js';

describe('factors: a user who must use a passkey and lost every factor', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'off' });
  });
  after(() => bench.close());

  const ceremonyPage = (page: Page) => page.status < 300 && /id="webauthn-form"[^>]*data-mode="authenticate"/.test(page.html);
  const postCeremony = (browser: Browser, page: Page, soft: SoftAuthenticator, credential = soft.credentials[0]) =>
    browser.post(formAction(page, '/verify-webauthn'), { _csrf: field(page.html, '_csrf'), response: JSON.stringify(soft.assert(pageOptions(page), credential)) });

  it('the admin (at phr) removes the lost factors; the user then registers a new passkey inside the sign-in with the emailed code; the lost one is refused', async () => {
    const practiceId = (await bench.server.createPractice({ name: 'Lost and found clinic', mfaPolicy: 'off' }))._id;
    const admin = await bench.server.createUser({ email: 'recovery.admin@clinic.test', name: 'Rita Admin', password: PASSWORD, practiceId, role: 'admin' });
    const nurse = await bench.server.createUser({ email: 'recovery.nurse@clinic.test', name: 'Lou Lost', password: PASSWORD, practiceId, role: 'staff' });
    const adminKey = await softPasskeyOf(bench, admin);
    const lostKey = await softPasskeyOf(bench, nurse, 'Lost laptop');
    const { totp } = bench.server.idp.mfa.factors;
    const key = (await totp.startEnrolment(nurse)).manualKey.replace(/ /g, '');
    expect(await totp.confirm(nurse, appCode(bench, key))).to.equal('ok');
    await setPasskeyPolicy(bench, practiceId, { phishingResistantRequired: 'everyone' });

    // Stuck: only the passkey is asked, no code and no other way.
    const stuck = await passwordStep(new Browser(), bench.charting, nurse.email, PASSWORD);
    expect(ceremonyPage(stuck.page)).to.equal(true);
    expect(stuck.page.html).not.to.include('name="code"');

    // The admin signs in to the user's page with their own passkey (phr, fresh) and removes both lost factors.
    const adminBrowser = new Browser();
    const userPage = `/admin/users/${nurse._id}`;
    const login = await adminBrowser.follow(await adminBrowser.get(bench.server.url(userPage)));
    const adminCeremony = await adminBrowser.follow(await submitLogin(adminBrowser, login, admin.email, PASSWORD));
    expect(ceremonyPage(adminCeremony), 'the admin gives their passkey').to.equal(true);
    const page = await adminBrowser.follow(await postCeremony(adminBrowser, adminCeremony, adminKey));
    expect([page.status, new URL(page.url).pathname]).to.deep.equal([200, userPage]);
    expect(page.html).to.include('Lost laptop');
    for (const factor of await bench.server.models.UserFactor.find({ userId: nurse._id }).lean()) {
      const removed = await adminBrowser.post(bench.server.url(`${userPage}/factors/${factor._id.toHexString()}/remove`), { _csrf: field(page.html, '_csrf') });
      expect(removed.location, `${factor.kind} removed`).to.include('notice=factor_removed');
    }
    expect(await bench.server.models.UserFactor.countDocuments({ userId: nurse._id })).to.equal(0);
    const removals = await bench.server.models.AuditEntry.find({ userSub: nurse.sub, event: 'factor.removed', actor: { $exists: true } }).lean();
    expect(removals.map((entry) => (entry.details as { factor?: string }).factor).sort()).to.deep.equal(['totp', 'webauthn']);
    await bench.mail.waitFor((mail) => mail.to.includes(nurse.email) && /sign-in method was removed/.test(mail.subject));

    // The user: password, emailed code (it opens only the registration), a new passkey, then that passkey.
    const browser = new Browser();
    const attempt = await passwordStep(browser, bench.charting, nurse.email, PASSWORD);
    expect(isCodePage(attempt.page), 'the emailed code, which every user has').to.equal(true);
    const code = (await bench.mail.waitFor((mail) => mail.to.includes(nurse.email) && / is your sign-in code$/.test(mail.subject))).code!;
    const enrol = await browser.follow(await submitCode(browser, attempt.page, code), bench.charting.redirectUri);
    expect(enrol.html).to.include('data-mode="register"');
    const newKey = new SoftAuthenticator(new URL(bench.server.issuer).origin);
    const registered = await browser.post(formAction(enrol, '/register-passkey'), { _csrf: field(enrol.html, '_csrf'), kind: 'passkey', name: 'New laptop', response: JSON.stringify(newKey.register(pageOptions(enrol))) });
    const ceremony = await browser.follow(registered, bench.charting.redirectUri);
    expect(ceremonyPage(ceremony)).to.equal(true);

    // The lost passkey, answering this very ceremony, is refused; the new one signs in.
    const refused = await browser.follow(await postCeremony(browser, ceremony, lostKey), bench.charting.redirectUri);
    expect(refused.location ?? '', 'the lost passkey does not sign in').not.to.include(bench.charting.redirectUri);
    expect(await bench.server.models.AuditEntry.countDocuments({ userSub: nurse.sub, event: 'signin.completed' })).to.equal(0);
    const again = await browser.follow(await browser.get(formAction(ceremony, '/verify-webauthn').replace(/\/verify-webauthn$/, '')), bench.charting.redirectUri);
    const callback = await untilCallback(browser, bench.charting, await postCeremony(browser, again, newKey));
    expect((await exchange(bench.charting, attempt.start, callback)).claims()!.acr).to.equal(ACR_PHR);
  });
});
