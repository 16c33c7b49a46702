// Passwordless sign-in in Chromium with the DevTools virtual authenticator (CDP WebAuthn.*): the
// sign-in page's "Sign in with a passkey" button, the email field's conditional-UI autofill
// (mediation "conditional", started by the page's nonce'd script on load), a roaming security key
// without a resident key (no passwordless, still a second factor), and the passkey registration
// within a sign-in when the practice requires passkeys. axe-core checks each new page state.
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { UserDoc } from '../../src/accounts/service.js';
import { ACR_PHR } from '../../src/mfa/risk/acr.js';
import { startMfaBench, type MfaBench } from '../helpers/mfa.js';
import { SoftAuthenticator } from '../helpers/soft-authenticator.js';
import { softCredentialOf } from '../helpers/soft-credential.js';
import { seriousViolations } from './axe.js';
import { launchChromium, screenshot } from './chromium.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';

describe('browser: passwordless sign-in with a passkey', function () {
  this.timeout(120_000);
  let bench: MfaBench;
  let chromium: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    [bench, chromium] = await Promise.all([startMfaBench({ mfaPolicy: 'always', hostname: 'localhost' }), launchChromium()]);
    const practiceId = (await bench.server.createUser({ email: 'first@clinic.test' })).practiceId;
    await bench.server.idp.accounts.setPasskeyPolicy(practiceId, { passwordlessAllowed: true, phishingResistantRequired: 'nobody' });
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await chromium?.close();
    await bench?.close();
  });

  /**
   * A tab whose DevTools virtual authenticator is a passkey (internal, resident keys, user
   * verification) or a roaming security key (USB, no resident key). With `user`, it already holds a
   * credential of theirs: registered through the provider's own registration check (a software
   * authenticator answers the options, `@simplewebauthn/server` verifies: soft-credential.ts), then handed to the tab's
   * authenticator (`WebAuthn.addCredential`), so the browser signs with the very key the provider
   * stored. Registering in the browser itself is proven by passkeys.test.ts and by this file's
   * "a practice requiring passkeys" test; doing it here before every test cost a password, a code
   * and a ceremony each (docs/testing.md).
   */
  async function tabWith(kind: 'passkey' | 'security-key', user?: UserDoc): Promise<Page> {
    const context = await chromium.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: kind === 'passkey'
        ? { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true }
        : { protocol: 'ctap2', transport: 'usb', hasResidentKey: false, hasUserVerification: false, automaticPresenceSimulation: true },
    });
    if (user) {
      const soft = await softCredentialOf(bench, user, kind, kind === 'passkey' ? 'Laptop' : 'USB key');
      const [credential] = soft.credentials.map(SoftAuthenticator.exported);
      const base64 = (base64url: string) => Buffer.from(base64url, 'base64url').toString('base64');
      await cdp.send('WebAuthn.addCredential', {
        authenticatorId,
        credential: {
          credentialId: base64(credential!.id), isResidentCredential: kind === 'passkey', rpId: credential!.rpId,
          privateKey: base64(credential!.privateKeyPkcs8), userHandle: base64(credential!.userHandle), signCount: credential!.counter,
        },
      });
    }
    return page;
  }

  const codesSeen = new Set<unknown>();
  async function typeEmailedCode(page: Page, user: UserDoc): Promise<void> {
    await page.waitForSelector('#code');
    const mail = await bench.mail.waitFor((m) => m.to.includes(user.email) && / is your sign-in code$/.test(m.subject) && !codesSeen.has(m));
    codesSeen.add(mail);
    await page.fill('#code', mail.code!);
    await page.click('form[action$="/verify"] button.primary');
  }

  const lastCompletion = async (user: UserDoc) => (await bench.server.models.AuditEntry.find({ userSub: user.sub, event: 'signin.completed' }).sort({ seq: -1 }).lean())[0];

  async function expectAccessible(page: Page, state: string): Promise<void> {
    expect(await seriousViolations(page), state).to.deep.equal([]);
    await screenshot(page, `passwordless-${state}`);
  }

  it('the button: "Sign in with a passkey" signs in with the passkey alone (acr phr, amr hwk user mfa), the page passing axe', async () => {
    const user = await bench.server.createUser({ email: 'button@clinic.test', password: PASSWORD });
    const page = await tabWith('passkey', user);
    // A browser without conditional mediation (as older ones): only the button's request runs.
    await page.addInitScript(() => {
      (globalThis as unknown as { PublicKeyCredential: { isConditionalMediationAvailable?: () => Promise<boolean> } }).PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
    await page.goto(bench.server.url('/account/'));
    await page.waitForSelector('#webauthn-start:not([hidden])');
    expect(await page.getAttribute('#email', 'autocomplete')).to.equal('username webauthn');
    await expectAccessible(page, 'sign-in-page');
    await page.click('#webauthn-start');
    await page.waitForURL(/\/account\/?$/);
    const completed = (await lastCompletion(user))!;
    expect(completed.details).to.deep.equal({ acr: ACR_PHR, amr: ['hwk', 'user', 'mfa'] });
  });

  it('conditional UI: with a resident passkey, the request the page starts on load (mediation "conditional") completes through the email field\'s autofill, no click', async () => {
    const user = await bench.server.createUser({ email: 'autofill@clinic.test', password: PASSWORD });
    const page = await tabWith('passkey', user);
    const mediations: string[] = [];
    await page.exposeFunction('recordMediation', (mediation: string) => mediations.push(mediation));
    await page.addInitScript(() => {
      type Get = (options?: { mediation?: string }) => Promise<unknown>;
      const page = globalThis as unknown as { navigator: { credentials: { get: Get } }; recordMediation(m: string): void };
      const credentials = page.navigator.credentials;
      const get = credentials.get.bind(credentials);
      credentials.get = (options) => {
        page.recordMediation(String(options?.mediation ?? 'optional'));
        return get(options);
      };
    });
    // Headless Chromium's virtual authenticator (automaticPresenceSimulation) answers the conditional
    // request as if the person picked the passkey from the autofill list.
    await page.goto(bench.server.url('/account/'));
    await page.waitForURL(/\/account\/?$/);
    expect(mediations).to.deep.equal(['conditional']);
    expect((await lastCompletion(user))!.details).to.deep.include({ acr: ACR_PHR });
    expect(await bench.server.models.AuditEntry.countDocuments({ userSub: user.sub, event: 'signin.passkey.succeeded' })).to.equal(1);
  });

  it('a security key without a resident key cannot sign in without a password (the page says so, axe-clean) but works as the second factor', async () => {
    const user = await bench.server.createUser({ email: 'usb.key@clinic.test', password: PASSWORD });
    const page = await tabWith('security-key', user);
    await page.goto(bench.server.url('/account/'));
    await page.waitForSelector('#webauthn-start:not([hidden])');
    await page.click('#webauthn-start');
    await page.waitForFunction(() => ((globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null } }).document.getElementById('webauthn-status')?.textContent ?? '').length > 0);
    expect(await page.textContent('#webauthn-status')).to.include('was not used');
    expect(page.url()).to.include('/interaction/');
    await expectAccessible(page, 'no-resident-key');
    expect(await bench.server.models.AuditEntry.countDocuments({ userSub: user.sub, event: 'signin.passkey.succeeded' })).to.equal(0);

    await page.fill('#email', user.email);
    await page.fill('#password', PASSWORD);
    await page.click('form[action$="/login"] button.primary');
    await page.waitForSelector('form[action$="/verify-webauthn"] #webauthn-start:not([hidden])');
    await page.click('#webauthn-start');
    await page.waitForURL(/\/account\/?$/);
    expect((await lastCompletion(user))!.details).to.deep.equal({ acr: ACR_PHR, amr: ['pwd', 'hwk', 'user', 'mfa'] });
  });

  it('a refused passkey (practice not allowing passwordless) shows the same sentence as any refusal, axe-clean', async () => {
    const elsewhere = await bench.server.createPractice({ name: 'Passwords only', mfaPolicy: 'always' });
    const user = await bench.server.createUser({ email: 'closed@clinic.test', password: PASSWORD, practiceId: elsewhere._id });
    const page = await tabWith('passkey', user);
    // The autofill answers on load; the refusal page does not start it again by itself.
    await page.goto(bench.server.url('/account/'));
    await page.waitForSelector('#login-error');
    expect(await page.textContent('#login-error')).to.include('That passkey could not be used to sign in here.');
    expect(await page.getAttribute('#webauthn-form', 'data-autofill')).to.equal('off');
    expect(await bench.server.models.AuditEntry.countDocuments({ userSub: user.sub, event: 'signin.passkey.failed' })).to.equal(1);
    await expectAccessible(page, 'refused');
  });

  it('a practice requiring passkeys: a user without one registers it within the sign-in (axe-clean page), then signs in with it', async () => {
    const practice = await bench.server.createPractice({ name: 'Passkeys required', mfaPolicy: 'risk' });
    await bench.server.idp.accounts.setPasskeyPolicy(practice._id, { passwordlessAllowed: false, phishingResistantRequired: 'everyone' });
    const user = await bench.server.createUser({ email: 'required@clinic.test', password: PASSWORD, practiceId: practice._id });
    const page = await tabWith('passkey');
    // No conditional request here: this user has no passkey yet, and the test drives the button.
    await page.addInitScript(() => {
      (globalThis as unknown as { PublicKeyCredential: { isConditionalMediationAvailable?: () => Promise<boolean> } }).PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
    await page.goto(bench.server.url('/account/'));
    await page.fill('#email', user.email);
    await page.fill('#password', PASSWORD);
    await page.click('form[action$="/login"] button.primary');
    await typeEmailedCode(page, user);
    await page.waitForSelector('form[action$="/register-passkey"] #webauthn-start:not([hidden])');
    await page.fill('#name', 'Exam room laptop');
    await expectAccessible(page, 'enrolment');
    await page.click('#webauthn-start');
    await page.waitForSelector('form[action$="/verify-webauthn"] #webauthn-start:not([hidden])');
    await page.click('#webauthn-start');
    await page.waitForURL(/\/account\/?$/);
    expect((await lastCompletion(user))!.details).to.deep.include({ acr: ACR_PHR });
    expect((await bench.server.models.UserFactor.findOne({ userId: user._id, kind: 'webauthn' }).lean())!.name).to.equal('Exam room laptop');
  });

  it('the admin page of the passkey switches, and its refusal for an admin without a passkey, pass axe', async () => {
    const practice = await bench.server.createPractice({ name: 'Admin page practice', mfaPolicy: 'always' });
    const admin = await bench.server.createUser({ email: 'switches.admin@clinic.test', password: PASSWORD, practiceId: practice._id, role: 'admin' });
    const page = await tabWith('passkey');
    await page.goto(bench.server.url('/admin/security/passkeys'));
    await page.fill('#email', admin.email);
    await page.fill('#password', PASSWORD);
    await page.click('form[action$="/login"] button.primary');
    await typeEmailedCode(page, admin);
    await page.waitForURL(/\/admin\/security\/passkeys$/);
    await expectAccessible(page, 'admin-switches');
    await page.check('#requiredFor-admins');
    await page.click('form[action$="/phishing-resistant"] button.primary');
    await page.waitForSelector('#requiredFor-nobody-error');
    expect(await page.textContent('#requiredFor-nobody-error')).to.include('would lock you out');
    await expectAccessible(page, 'admin-switches-refused');
    expect((await bench.server.idp.accounts.passkeyPolicy(practice._id)).phishingResistantRequired).to.equal('nobody');
  });
});
