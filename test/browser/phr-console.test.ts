// "Phishing-resistant required" turned on while a clinician's /account tab is open, in Chromium with
// the DevTools virtual authenticator (CDP WebAuthn.*): the next page asks for a factor they hold,
// then registers a passkey inside the sign-in and asks for it, and lands on the page asked for.
import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { ACR_PHR } from '../../src/mfa/risk/acr.js';
import { startMfaBench, type MfaBench } from '../helpers/mfa.js';
import { seriousViolations } from './axe.js';
import { launchChromium, screenshot } from './chromium.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';

describe('browser: /account when the practice starts requiring passkeys', function () {
  this.timeout(120_000);
  let bench: MfaBench;
  let chromium: Browser;
  let context: BrowserContext | undefined;

  before(async () => {
    [bench, chromium] = await Promise.all([startMfaBench({ mfaPolicy: 'off', hostname: 'localhost' }), launchChromium()]);
  });
  after(async () => {
    await context?.close();
    await chromium?.close();
    await bench?.close();
  });

  it('a tab signed in with the password before the switch: the next /account page asks a code, registers a passkey, asks for it, and opens', async () => {
    const practiceId = (await bench.server.createPractice({ name: 'Switching clinic', mfaPolicy: 'off' }))._id;
    const user = await bench.server.createUser({ email: 'open.tab@clinic.test', password: PASSWORD, practiceId, role: 'staff' });
    context = await chromium.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });

    await page.goto(bench.server.url('/account/'));
    await page.fill('#email', user.email);
    await page.fill('#password', PASSWORD);
    await page.click('button.primary');
    await page.waitForURL(/\/account\/?$/);

    const { accounts } = bench.server.idp;
    await accounts.setPasskeyPolicy(practiceId, { ...(await accounts.passkeyPolicy(practiceId)), phishingResistantRequired: 'everyone' });

    await page.goto(bench.server.url('/account/activity'));
    await page.waitForSelector('#code');
    expect(await page.textContent('main')).to.include('The practice requires a passkey or security key of this user at every sign-in.');
    const mail = await bench.mail.waitFor((m) => m.to.includes(user.email) && / is your sign-in code$/.test(m.subject));
    await page.fill('#code', mail.code!);
    await page.click('form[action$="/verify"] button.primary');

    await page.waitForSelector('form[data-mode="register"] #webauthn-start:not([hidden])');
    expect(await seriousViolations(page), 'the registration page is axe-clean').to.deep.equal([]);
    await screenshot(page, 'phr-console-register');
    await page.fill('#name', 'Clinic laptop');
    await page.click('#webauthn-start');

    await page.waitForSelector('form[data-mode="authenticate"] #webauthn-start:not([hidden])');
    await page.click('#webauthn-start');
    await page.waitForURL(/\/account\/activity$/);
    expect(await page.textContent('main')).to.include('Recent sign-ins');
    const completed = (await bench.server.models.AuditEntry.find({ userSub: user.sub, event: 'signin.completed' }).sort({ seq: -1 }).lean())[0]!;
    expect(completed.details).to.deep.include({ acr: ACR_PHR });
  });
});
