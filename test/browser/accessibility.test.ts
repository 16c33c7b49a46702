// Every page a clinician or an office manager meets, in Chromium at a desktop (1366×768) and a phone
// (390×844) size, checked by axe-core for WCAG 2.2 A/AA: no serious or critical violation anywhere.
// The walk: sign-in (and its wrong-password state), the code page (and a wrong code), /account and
// each of its pages, each admin page (with a pending email change and the confirm and report pages
// its links open) and the password-reset request. With SCREENSHOTS=1 each page checked is saved as
// artifacts/screenshots/a11y-<size>-<page>.png.
//
// journeys.test.ts checks pages at the same two sizes (axe-core and overflow); a page it checks in
// the same state is not checked again here (each axe check costs Chromium about 0.15 s of CPU):
// the user page without a pending change (/admin/users/:id, still opened here for its email form),
// the audit log with entries (/admin/audit), the unknown-app error and the missing page. The two
// files together check, at each size:
//   here:     sign-in, sign-in-failed, code, code-wrong (/account's sign-in, risk policy), account,
//             account-{password,two-step,phone,devices,activity}, admin-users, admin-user-new,
//             admin-user-access, admin-user-profile, admin-user-change, change-confirm,
//             change-report, admin-security, admin-ip-access, admin-audit-verify, password-reset
//   journeys: sign-in, code, code-wrong, code-resent (an app's sign-in, always policy),
//             sign-in-locked, reset-request, reset-code, reset-new-password, reset-done,
//             admin-user-new-mistakes, admin-user, admin-confirm-end-sessions,
//             admin-confirm-deactivate, admin-security-mistakes, admin-confirm-remove-ip,
//             admin-audit, admin-audit-mistakes, error-unknown-app, error-bad-redirect,
//             error-expired-step, error-not-found
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { UserDoc } from '../../src/accounts/service.js';
import { startMfaBench, type MfaBench } from '../helpers/mfa.js';
import { seriousViolations } from './axe.js';
import { launchChromium, screenshot } from './chromium.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';
const SIZES = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } } as const;

describe('browser: accessibility of every page (axe-core, WCAG 2.2 AA)', function () {
  // The test walks about 20 pages, each checked by axe-core at two sizes (and, with SCREENSHOTS=1,
  // saved as two full-page screenshots): up to 20 s on an idle 2-core machine, so 240 s keeps it five
  // times under (README "Tests").
  this.timeout(240_000);
  let bench: MfaBench;
  let chromium: Browser;
  let admin: UserDoc;
  let nurse: UserDoc;

  before(async () => {
    [bench, chromium] = await Promise.all([startMfaBench({ mfaPolicy: 'risk' }), launchChromium()]);
    const practiceId = (await bench.server.createPractice({ name: 'Lakeside Clinic' }))._id;
    admin = await bench.server.createUser({ practiceId, email: 'office@lakeside.test', name: 'Olga Office', role: 'admin', password: PASSWORD });
    nurse = await bench.server.createUser({ practiceId, email: 'nina@lakeside.test', name: 'Nina Nurse', password: PASSWORD });
  });
  after(async () => {
    await chromium?.close();
    await bench?.close();
  });

  it('has no serious or critical violation on any page (phone and desktop)', async () => {
    // One walk, at the phone size (where its forms are filled and its buttons pressed); each page is
    // checked there, then the same page is resized to the desktop size and checked again (media
    // queries apply on resize; the server never sees the viewport). Walking twice, once per size,
    // cost twice the navigations and sign-ins for the same pages. Journeys at desktop size press
    // the same sign-in and code buttons (journeys.test.ts); the admin's email change at desktop
    // size is admin.test.ts.
    const context: BrowserContext = await chromium.newContext({ viewport: SIZES.phone, extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.31' } });
    const page: Page = await context.newPage();
    const found: string[] = [];
    const check = async (name: string) => {
      await page.waitForLoadState('load');
      for (const size of ['phone', 'desktop'] as const) {
        await page.setViewportSize(SIZES[size]);
        for (const violation of await seriousViolations(page)) found.push(`${name} (${size}): ${violation}`);
        await screenshot(page, `a11y-${size}-${name}`);
      }
      await page.setViewportSize(SIZES.phone);
    };
    const open = async (path: string, name: string) => {
      await page.goto(bench.server.url(path));
      await check(name);
    };
    try {
      await open('/account', 'sign-in');
      await page.fill('#email', admin.email);
      await page.fill('#password', 'not the password');
      await page.click('button.primary');
      await check('sign-in-failed');
      await page.fill('#password', PASSWORD);
      await page.click('button.primary');
      await page.waitForSelector('#code');
      await check('code');
      await page.fill('#code', '000000');
      await page.click('button.primary');
      await page.waitForSelector('#code');
      await check('code-wrong');
      const { code } = await bench.mail.nextTo(admin.email);
      await page.fill('#code', code!);
      await page.click('button.primary');
      await page.waitForURL(bench.server.url('/account'));
      await check('account');
      for (const path of ['password', 'two-step', 'phone', 'devices', 'activity']) await open(`/account/${path}`, `account-${path}`);
      await open('/admin/users', 'admin-users');
      await open('/admin/users/new', 'admin-user-new');
      await page.goto(bench.server.url(`/admin/users/${nurse._id.toHexString()}`)); // checked by journeys.test.ts
      await open(`/admin/users/${nurse._id.toHexString()}/access`, 'admin-user-access');
      await open(`/admin/users/${nurse._id.toHexString()}/profile`, 'admin-user-profile');
      // A new email for the nurse: the pending change, and the two links it mails.
      const newAddress = 'nina.new@lakeside.test';
      const asked = Date.now() - 1000;
      await page.fill('#email', newAddress);
      await page.click('button:text-is("Send confirmation link")');
      await check('admin-user-change');
      const link = (mail: { text: string }, kind: string) => new RegExp(`https?://\\S+/changes/${kind}/[A-Za-z0-9_-]{43}`).exec(mail.text)![0];
      await page.goto(link(await bench.mail.waitFor((mail) => mail.to.includes(newAddress)), 'confirm'));
      expect(await page.locator('h1').textContent()).to.equal('Confirm your new sign-in email address');
      await check('change-confirm');
      await page.goto(link(await bench.mail.waitFor((mail) => mail.to.includes(nurse.email) && mail.subject.startsWith('A change of') && mail.at.getTime() >= asked), 'report'));
      expect(await page.locator('h1').textContent()).to.equal('Report a change you did not ask for');
      await check('change-report');
      // /admin/audit with entries, the unknown-app error and the missing page: checked by journeys.test.ts.
      for (const path of ['security', 'ip-access', 'audit/verify']) await open(`/admin/${path}`, `admin-${path.replace('/', '-')}`);
      await open('/password-reset', 'password-reset');
    } finally {
      await context.close();
    }
    expect(found, found.join('\n')).to.deep.equal([]);
  });
});
