// Passkeys and security keys in Chromium with the DevTools virtual authenticator (CDP WebAuthn.*):
// register from /account (behind a fresh second factor), sign in with the passkey as the second
// factor after the password, an app's step-up to the phishing-resistant acr through openid-client
// (max_age=0), removal; and a roaming security key (ctap2, cross-platform, no resident key).
// The pages with script carry a CSP nonce for exactly their two scripts; the others stay script-free.
import { expect } from 'chai';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { UserDoc } from '../../src/accounts/service.js';
import { ACR_PHR } from '../../src/mfa/risk/acr.js';
import { startMfaBench, REDIRECT, type MfaBench } from '../helpers/mfa.js';
import { exchange, startAuthorization } from '../helpers/rp.js';
import { launchChromium, screenshot } from './chromium.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';

describe('browser: passkeys and security keys (WebAuthn)', function () {
  this.timeout(120_000);
  let bench: MfaBench;
  let chromium: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    [bench, chromium] = await Promise.all([startMfaBench({ mfaPolicy: 'always', hostname: 'localhost' }), launchChromium()]);
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await chromium?.close();
    await bench?.close();
  });

  /** A browser tab with a virtual authenticator: a platform passkey, or a roaming USB security key. */
  async function tabWith(kind: 'passkey' | 'security-key'): Promise<{ page: Page; cdp: CDPSession }> {
    const context = await chromium.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: kind === 'passkey'
        ? { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true }
        : { protocol: 'ctap2', transport: 'usb', hasResidentKey: false, hasUserVerification: false, automaticPresenceSimulation: true },
    });
    return { page, cdp };
  }

  const codesSeen = new Set<unknown>();
  async function passwordThenEmailCode(page: Page, user: UserDoc): Promise<void> {
    await page.fill('#email', user.email);
    await page.fill('#password', PASSWORD);
    await page.click('button.primary');
    await page.waitForSelector('#code');
    const mail = await bench.mail.waitFor((m) => m.to.includes(user.email) && / is your sign-in code$/.test(m.subject) && !codesSeen.has(m));
    codesSeen.add(mail);
    await page.fill('#code', mail.code!);
    await page.click('form[action$="/verify"] button.primary');
  }

  async function register(page: Page, kind: 'passkey' | 'security-key', name: string): Promise<void> {
    await page.goto(bench.server.url(`/account/passkeys/new?kind=${kind}`));
    const csp = (await page.context().request.get(page.url())).headers()['content-security-policy'] ?? '';
    expect(csp).to.match(/script-src 'nonce-[^']+'/);
    await page.fill('#name', name);
    await page.click('#webauthn-start');
    await page.waitForURL(/\/account\/passkeys\?notice=passkey$/);
    expect(await page.textContent('#passkey-list')).to.include(name);
  }

  /** Signs out by forgetting this tab's cookies (the authenticator stays with the tab). */
  const forgetSignIn = (page: Page) => page.context().clearCookies();

  it('registers a passkey after a fresh second factor, signs in with it as the second factor (acr phr), steps an app up with max_age=0, and removes it', async () => {
    const user = await bench.server.createUser({ email: 'passkey.user@clinic.test', password: PASSWORD });
    const { page } = await tabWith('passkey');
    await page.goto(bench.server.url('/account/passkeys'));
    await passwordThenEmailCode(page, user);
    await page.waitForURL(/\/account\/passkeys$/);
    const listCsp = (await page.context().request.get(page.url())).headers()['content-security-policy'];
    expect(listCsp).to.include("script-src 'none'");
    await register(page, 'passkey', 'Work laptop');
    await screenshot(page, 'passkeys-list');
    const stored = (await bench.server.models.UserFactor.findOne({ userId: user._id, kind: 'webauthn' }).lean())!;
    expect(stored).to.include({ name: 'Work laptop', discoverable: true });

    // Second factor: the password, then the passkey (offered first; no code is sent).
    await forgetSignIn(page);
    const mailsBefore = bench.mail.messages.length;
    await page.goto(bench.server.url('/account/'));
    await page.fill('#email', user.email);
    await page.fill('#password', PASSWORD);
    await page.click('button.primary');
    await page.waitForSelector('#webauthn-start');
    await screenshot(page, 'passkeys-second-factor');
    await page.click('#webauthn-start');
    await page.waitForURL(/\/account\/?$/);
    expect(bench.mail.messages.length, 'no code emailed').to.equal(mailsBefore);
    const completed = (await bench.server.models.AuditEntry.find({ userSub: user.sub, event: 'signin.completed' }).sort({ seq: -1 }).lean())[0]!;
    expect(completed.details).to.deep.include({ acr: ACR_PHR });

    // An e-prescribing app demands the phishing-resistant level with max_age=0: a new sign-in, and
    // only the passkey is offered (no code, no "Try another way" to a code).
    const start = await startAuthorization(bench.charting, { acr_values: ACR_PHR, max_age: '0' });
    await page.goto(start.url.href);
    await page.fill('#password', PASSWORD);
    if (await page.locator('#email').inputValue() === '') await page.fill('#email', user.email);
    await page.click('button.primary');
    await page.waitForSelector('#webauthn-start');
    expect(await page.content()).not.to.include('Send the code by email instead');
    // Playwright routes only the first URL of a redirect chain, so the app's answer cannot be faked
    // here: read the provider's redirect to the app instead (the tab then shows an error page).
    const backToApp = page.waitForResponse((response) => (response.headers().location ?? '').startsWith(REDIRECT));
    await page.click('#webauthn-start');
    const callback = new URL((await backToApp).headers().location!);
    const tokens = await exchange(bench.charting, start, callback);
    const claims = tokens.claims()!;
    expect(claims.acr).to.equal(ACR_PHR);
    expect(claims.amr).to.deep.equal(['pwd', 'hwk', 'user', 'mfa']);

    // Removal: the passkey goes (email remains an allowed factor), audited. In a new tab of the same
    // browser: the old one may still be landing on its error page for the app's address.
    const tab = await page.context().newPage();
    await tab.goto(bench.server.url('/account/passkeys'));
    await tab.click('form[action$="/remove"] button');
    await tab.waitForURL(/notice=passkey-removed/);
    expect(await bench.server.models.UserFactor.countDocuments({ userId: user._id, kind: 'webauthn' })).to.equal(0);
    expect(await bench.server.models.AuditEntry.countDocuments({ userSub: user.sub, event: 'factor.removed' })).to.equal(1);
  });

  it('a roaming security key (ctap2, cross-platform, no resident key) registers and signs in as the second factor', async () => {
    const user = await bench.server.createUser({ email: 'security.key@clinic.test', password: PASSWORD });
    const { page } = await tabWith('security-key');
    await page.goto(bench.server.url('/account/passkeys'));
    await passwordThenEmailCode(page, user);
    await page.waitForURL(/\/account\/passkeys$/);
    await register(page, 'security-key', 'Blue key');
    expect((await bench.server.models.UserFactor.findOne({ userId: user._id, kind: 'webauthn' }).lean())!).to.include({ discoverable: false, deviceType: 'singleDevice' });

    await forgetSignIn(page);
    await page.goto(bench.server.url('/account/'));
    await page.fill('#email', user.email);
    await page.fill('#password', PASSWORD);
    await page.click('button.primary');
    await page.click('#webauthn-start');
    await page.waitForURL(/\/account\/?$/);
    const verified = (await bench.server.models.AuditEntry.find({ userSub: user.sub, event: 'mfa.factor.verified' }).lean()).at(-1)!;
    expect(verified.details).to.deep.include({ factor: 'webauthn', name: 'Blue key' });
  });
});
