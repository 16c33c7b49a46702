// The journeys of issue 16 in Chromium, at a desktop (1366×768) and a phone (390×844) size, each of
// our pages checked by axe-core (no serious or critical violation) and for page overflow (never
// wider than the screen), and with SCREENSHOTS=1 saved as artifacts/screenshots/journey-<size>-<page>.png:
//   a clinician signs in to the charting module with a wrong code, a new code, the right code;
//   SSO into billing without a password; sign-out everywhere from a module; a locked account;
//   a password reset from the sign-in page to the done page; an admin's destructive actions
//   (confirmation pages), a form with several mistakes, the audit log with entries; error pages.
// One browser, one walk. Each page is checked at both sizes (the tab resized: media queries apply on
// resize, and the server never sees the viewport). Each field and button on the way is proven within
// reach at both sizes: Playwright's actionability checks (scrolled to, visible, stable, enabled, and
// the element itself receiving the pointer at its centre) pass for it at phone size (`trial`: the
// checks without the press), then it is filled or pressed at desktop size. Walking twice, once per
// size, proved the same with twice the navigations, sign-ins and mails (docs/testing.md).
// accessibility.test.ts does not check again the pages checked here (its header lists both files' pages).
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DemoModules } from '../../src/demo/index.js';
import { startDemoPair } from '../helpers/demo-modules.js';
import { startMfaBench, type MfaBench } from '../helpers/mfa.js';
import { seriousViolations } from './axe.js';
import { launchChromium, screenshot } from './chromium.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';
const NEW_PASSWORD = 'Copper-Meadow-Violin-4567?';
const SIZES = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } } as const;

/**
 * Within reach at phone size (Playwright's actionability checks on `selector`, without the press:
 * it fails if the element is hidden, disabled or covered there), then `act` at desktop size.
 */
async function withinReach(page: Page, selector: string, act: () => Promise<void>, timeout?: number): Promise<void> {
  await page.setViewportSize(SIZES.phone);
  await page.click(selector, { trial: true, ...(timeout === undefined ? {} : { timeout }) });
  await page.setViewportSize(SIZES.desktop);
  await act();
}

describe('browser: journeys at desktop and phone sizes (axe-core, no overflow)', function () {
  this.timeout(240_000);
  let bench: MfaBench;
  let chromium: Browser;
  let demo: DemoModules;
  let charting: DemoModules['modules'][number];
  let billing: DemoModules['modules'][number];

  before(async () => {
    [bench, chromium] = await Promise.all([startMfaBench({ mfaPolicy: 'always' }), launchChromium()]);
    ({ demo, charting, billing } = await startDemoPair(bench.server));
  });
  after(async () => {
    await chromium?.close();
    await demo?.close();
    await bench?.close();
  });

  it('walks every journey with no serious or critical violation and no overflow, within reach at both sizes', async () => {
    const practice = await bench.server.createPractice({ name: 'Prairie Clinic', mfaPolicy: 'always' });
    await bench.server.models.Practice.updateOne({ _id: practice._id }, { $set: { timeZone: 'America/Chicago' } });
    const user = (email: string, name: string, role?: 'admin') => bench.server.createUser({ practiceId: practice._id, email: `${email}@prairie.test`, name, password: PASSWORD, ...(role ? { role } : {}) });
    const [clinician, locked, forgetful, admin, nurse] = await Promise.all([
      user('cleo', 'Cleo Clinician'), user('lou', 'Lou Locked'), user('fay', 'Fay Forgetful'), user('ada', 'Ada Admin', 'admin'), user('nell', 'Nell Nurse'),
    ]);
    const context: BrowserContext = await chromium.newContext({ viewport: SIZES.desktop, extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.41' } });
    const found: string[] = [];
    const check = async (page: Page, name: string) => {
      await page.waitForLoadState('load');
      for (const [size, viewport] of Object.entries(SIZES)) {
        await page.setViewportSize(viewport);
        for (const violation of await seriousViolations(page)) found.push(`${name} (${size}): ${violation}`);
        const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as number;
        if (overflow > 0) found.push(`${name}: the page is ${overflow} px wider than the ${size} screen`);
        await screenshot(page, `journey-${size}-${name}`);
      }
      await page.setViewportSize(SIZES.desktop);
    };
    const press = (page: Page, selector: string) => withinReach(page, selector, () => page.click(selector));
    const fill = (page: Page, selector: string, value: string) => withinReach(page, selector, () => page.fill(selector, value));
    const signInWithPassword = async (page: Page, email: string, password = PASSWORD) => {
      await fill(page, '#email', email);
      await fill(page, '#password', password);
      await press(page, 'button.primary');
    };
    try {
      // Clinician: charting with a wrong code, a new code, the right one; then billing by SSO; sign-out.
      const page = await context.newPage();
      await page.goto(`${charting.url}/login`);
      await check(page, 'sign-in');
      await signInWithPassword(page, clinician.email);
      await page.waitForSelector('#code');
      await check(page, 'code');
      await bench.mail.nextTo(clinician.email);
      await fill(page, '#code', '000000');
      await press(page, 'button.primary');
      await page.waitForSelector('#code');
      await check(page, 'code-wrong');
      bench.server.clock.advance(60_000); // past the wait between two codes
      await press(page, 'button:text-is("Send a new code")');
      await page.waitForSelector('#code');
      await check(page, 'code-resent');
      const { code } = await bench.mail.nextTo(clinician.email);
      await fill(page, '#code', code!);
      await press(page, 'button.primary');
      await page.waitForSelector('#signed-in');
      await page.goto(`${billing.url}/login`);
      await page.waitForSelector('#signed-in');
      expect(await page.locator('#password').count(), 'SSO: no password for billing').to.equal(0);
      await press(page, 'text=Sign out everywhere');
      await page.waitForSelector('#signed-out');

      // A locked account: the right password says until when, on the practice's clocks.
      const { lockout } = bench.server.idp.mfa;
      for (let n = 0; n < lockout.settings.threshold; n++) await lockout.failure(locked._id);
      await page.goto(`${charting.url}/login`);
      await signInWithPassword(page, locked.email);
      await page.waitForSelector('#login-error');
      expect(await page.locator('#login-error').textContent()).to.match(/paused until \d{1,2}:\d\d [AP]M C[SD]T/);
      await check(page, 'sign-in-locked');

      // Password reset, from the sign-in page to the done page.
      await page.goto(`${charting.url}/login`);
      await press(page, 'text=Forgot password?');
      await check(page, 'reset-request');
      await fill(page, '#email', forgetful.email);
      await press(page, 'button.primary');
      await page.waitForSelector('#code');
      await check(page, 'reset-code');
      const reset = await bench.mail.nextTo(forgetful.email);
      await fill(page, '#code', reset.code!);
      await press(page, 'button.primary');
      await page.waitForSelector('#confirm');
      await check(page, 'reset-new-password');
      await fill(page, '#password', NEW_PASSWORD);
      await fill(page, '#confirm', NEW_PASSWORD);
      await press(page, 'button.primary');
      await page.waitForSelector('h1');
      await check(page, 'reset-done');

      // The admin: a form with several mistakes, the destructive actions' confirmation pages, the audit log.
      await page.goto(bench.server.url('/admin/users/new'));
      await signInWithPassword(page, admin.email);
      await page.waitForSelector('#code');
      await fill(page, '#code', (await bench.mail.nextTo(admin.email)).code!);
      await press(page, 'button.primary');
      await page.waitForSelector('#name');
      await fill(page, '#email', 'not an address');
      await press(page, 'button.primary');
      await page.waitForSelector('.error-summary');
      expect(await page.locator('.error-summary li').count()).to.equal(2);
      expect(await page.locator('#name').getAttribute('aria-invalid')).to.equal('true');
      expect(await page.locator('#email').getAttribute('aria-describedby')).to.equal('email-error');
      await check(page, 'admin-user-new-mistakes');
      const nursePage = `/admin/users/${nurse._id.toHexString()}`;
      await page.goto(bench.server.url(nursePage));
      await check(page, 'admin-user');
      for (const [button, name] of [['End all sessions', 'end-sessions'], ['Deactivate user', 'deactivate']] as const) {
        await page.goto(bench.server.url(nursePage));
        await press(page, `button:text-is("${button}")`);
        await page.waitForSelector('#consequences');
        await check(page, `admin-confirm-${name}`);
      }
      await press(page, 'button.danger');
      await page.waitForSelector('.notice');
      expect(await page.locator('.notice').textContent()).to.include('User deactivated');
      await page.goto(bench.server.url('/admin/security'));
      await fill(page, '#sessionIdleMinutes', '0');
      await fill(page, '#minLength', 'many');
      await press(page, 'button:text-is("Save security settings")');
      await page.waitForSelector('.error-summary');
      await check(page, 'admin-security-mistakes');
      await page.goto(bench.server.url('/admin/ip-access'));
      await press(page, 'button:text-is("Add my IP")');
      await page.waitForSelector('#trusted-ips');
      await press(page, '#trusted-ips button.danger');
      await page.waitForSelector('#consequences');
      await check(page, 'admin-confirm-remove-ip');
      await page.goto(bench.server.url('/admin/audit'));
      expect(await page.locator('#audit-entries tbody tr').count()).to.be.greaterThan(5);
      await check(page, 'admin-audit');
      await page.goto(bench.server.url('/admin/audit?from=2030-13-01&ip=nope'));
      await check(page, 'admin-audit-mistakes');

      // Error pages: an unknown app, a redirect address not registered, an expired sign-in step, a missing page.
      await page.goto(bench.server.url('/auth?client_id=no-such-app&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fapp.example%2Fcb'));
      await check(page, 'error-unknown-app');
      await page.goto(bench.server.url(`/auth?client_id=demo-charting&response_type=code&scope=openid&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`));
      await check(page, 'error-bad-redirect');
      await page.goto(bench.server.url('/interaction/expired-or-unknown'));
      await check(page, 'error-expired-step');
      await page.goto(bench.server.url('/no-such-page'));
      await check(page, 'error-not-found');
    } finally {
      await context.close();
    }
    expect(found, found.join('\n')).to.deep.equal([]);
  });

  it('the reach check refuses a button hidden or covered at phone size, which desktop size would press', async () => {
    const page = await chromium.newPage({ viewport: SIZES.desktop });
    try {
      await page.setContent(`<style>
        @media (max-width: 500px) { #hidden { display: none } }
        #cover { position: fixed; inset: 0; background: #fff } @media (min-width: 501px) { #cover { display: none } }
      </style><button id="hidden">Hidden on phones</button><button id="covered">Covered on phones</button><div id="cover"></div>`);
      for (const selector of ['#hidden', '#covered']) {
        let pressed = false;
        const refused = await withinReach(page, selector, async () => { pressed = true; }, 250).then(() => undefined, (err: Error) => err.message);
        expect(refused, selector).to.match(/Timeout 250ms exceeded/);
        expect(pressed, `${selector} not pressed`).to.equal(false);
        await page.setViewportSize(SIZES.desktop);
        await page.click(selector, { trial: true }); // within reach at desktop size
      }
    } finally {
      await page.close();
    }
  });
});
