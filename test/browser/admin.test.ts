// The admin area in a real browser (Chromium): an admin signs in with a code read from the SMTP
// catcher, adds "my IP" (the address the trusted proxy reports), turns on two-step sign-in by text
// message for a user, asks for a new email address for them (which waits for its confirmation),
// makes the practice ask for a code at every sign-in, and finds each change in the audit log. With
// SCREENSHOTS=1 every admin page visited is saved as a screenshot (artifacts/screenshots/admin-*.png);
// the first one is saved on every run, so the screenshot helper cannot break unnoticed.
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { UserDoc } from '../../src/accounts/service.js';
import type { Types } from 'mongoose';
import { startMfaBench, type MfaBench } from '../helpers/mfa.js';
import { launchChromium, saveScreenshot, screenshot } from './chromium.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';
/** Where the admin is, as the trusted proxy (127.0.0.1 in the bench) reports it. */
const ADMIN_IP = '198.51.100.20';

describe('browser: practice admin', function () {
  this.timeout(30_000);
  let bench: MfaBench;
  let chromium: Browser;
  let context: BrowserContext;
  let page: Page;
  let practiceId: Types.ObjectId;
  let admin: UserDoc;
  let nurse: UserDoc;

  before(async () => {
    [bench, chromium] = await Promise.all([startMfaBench({ mfaPolicy: 'risk' }), launchChromium()]);
    practiceId = (await bench.server.createPractice({ name: 'Seaside Clinic' }))._id;
    admin = await bench.server.createUser({ practiceId, email: 'admin@seaside.test', name: 'Ada Admin', role: 'admin', password: PASSWORD });
    nurse = await bench.server.createUser({ practiceId, email: 'nora@seaside.test', name: 'Nora Nurse', password: PASSWORD, phone: '+15555550123' });
    context = await chromium.newContext({ extraHTTPHeaders: { 'x-forwarded-for': ADMIN_IP }, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  after(async () => {
    await context?.close();
    await chromium?.close();
    await bench?.close();
  });

  const open = (path: string) => page.goto(bench.server.url(path));
  const notice = () => page.locator('.notice').textContent();

  it('signs the admin in with a code sent by email, at the page asked for', async () => {
    await open('/admin/ip-access');
    await page.fill('#email', admin.email);
    await page.fill('#password', PASSWORD);
    await page.click('button.primary');
    await page.waitForSelector('#code');
    const { code } = await bench.mail.nextTo(admin.email);
    await page.fill('#code', code!);
    await page.click('button.primary');
    await page.waitForURL(bench.server.url('/admin/ip-access'));
    expect(await page.locator('#my-ip').textContent()).to.equal(ADMIN_IP);
    const saved = await readFile(await saveScreenshot(page, 'admin-ip-access'));
    expect(saved.subarray(0, 8).toString('hex'), 'a PNG file').to.equal('89504e470d0a1a0a');
  });

  it('adds "my IP" for the whole practice', async () => {
    await page.fill('#mine-description', 'Front desk');
    await page.click('text=Add my IP >> xpath=self::button');
    expect(await notice()).to.equal(`${ADMIN_IP} is now trusted for the whole practice.`);
    expect(await page.locator(`#trusted-ips tr[data-entry="${ADMIN_IP}"]`).textContent()).to.include('Front desk').and.include(admin.email);
    await screenshot(page, 'admin-ip-access-added');
  });

  it('turns on two-step sign-in by text message for a user ("Save access for user")', async () => {
    await open('/admin/users');
    await screenshot(page, 'admin-users');
    await page.click(`a:text-is("${nurse.name}")`);
    await screenshot(page, 'admin-user');
    await page.click('a:text-is("Change access")');
    await page.check('input[name="mfaEnabled"]');
    await page.check('input[name="mfaChannel"][value="sms"]');
    await page.click('button:text-is("Save access for user")');
    expect(await notice()).to.be.a('string').and.not.equal('Nothing changed.');
    await screenshot(page, 'admin-user-edit');
    const saved = await bench.server.models.User.findById(nurse._id).lean();
    expect(saved).to.include({ mfaChannel: 'sms' });
    expect(await bench.server.models.Membership.findOne({ userId: nurse._id }).lean()).to.include({ mfaEnabled: true });
  });

  it('asks for a new email address for a user: nothing changes until the new address confirms it', async () => {
    // Saving the access led back to the user's page.
    await page.click('a:text-is("Change profile")');
    await page.fill('#email', 'nora.new@seaside.test');
    await page.click('button:text-is("Send confirmation link")');
    expect(await notice()).to.include('Change requested.');
    expect(await page.locator('#change').textContent()).to.include('nora.new@seaside.test').and.include('the new address to open the confirmation link');
    await screenshot(page, 'admin-user-change');
    await page.click('a:text-is("Back to Nora Nurse")');
    expect(await page.locator('#profile-email').textContent()).to.equal(nurse.email);
    expect(await page.locator('#pending-changes').textContent()).to.include('nora.new@seaside.test');
    expect((await bench.server.models.User.findById(nurse._id).lean())!.email).to.equal(nurse.email);
  });

  it('makes the practice ask for a code at every sign-in (Practice security)', async () => {
    await open('/admin/security');
    await page.check('input[name="mfaPolicy"][value="always"]');
    await page.click('button:text-is("Save security settings")');
    // Everyone will type codes: asked first, in red, saying to whom.
    expect(await page.locator('h1').textContent()).to.equal('Ask for more codes across the practice?');
    expect(await page.locator('#consequences').textContent()).to.include('active users of Seaside Clinic will be asked for a one-time code at every sign-in');
    expect(await page.locator('button.danger').evaluate((button) => (globalThis as unknown as { getComputedStyle(element: unknown): { backgroundColor: string } }).getComputedStyle(button).backgroundColor)).to.equal('rgb(179, 38, 30)');
    await screenshot(page, 'admin-security-confirm');
    await page.click('button:text-is("Save and ask for codes")');
    expect(await notice()).to.include('Security settings saved.');
    await screenshot(page, 'admin-security');
    expect((await bench.server.models.Practice.findById(practiceId).lean())!.mfaPolicy).to.equal('always');
  });

  it('finds each change in the audit log, and the chain intact', async () => {
    await open('/admin/audit');
    for (const event of ['admin.trusted_ip.added', 'admin.user.mfa_changed', 'admin.practice.security_changed']) {
      await page.selectOption('#f-event', event);
      await page.click('button:text-is("Show")');
      const row = page.locator(`#audit-entries tr[data-event="${event}"]`);
      expect(await row.count(), event).to.equal(1);
      expect(await row.textContent(), event).to.include(ADMIN_IP).and.include(admin.email);
    }
    expect(await page.locator('#audit-entries tr[data-event="admin.practice.security_changed"] dl.details').textContent()).to.include('mfa policy').and.include('risk → always');
    await page.selectOption('#f-event', '');
    await page.click('button:text-is("Show")');
    await screenshot(page, 'admin-audit');

    await page.click('a:text-is("Verify the audit log")');
    await page.click('button:text-is("Verify now")');
    expect(await page.locator('#verify-result').textContent()).to.match(/The audit log is intact: \d+ of your practice's entries verified since /);
    await screenshot(page, 'admin-audit-verify');
  });
});
