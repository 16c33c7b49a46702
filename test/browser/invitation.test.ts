// Inviting a person who already works for another practice, in a real browser (Chromium): the admin
// adds them on "Add a user" and sees them "Invited" with the name typed; the person opens the
// emailed link, signs in with their own password and code, and accepts; their /account lists both
// practices. axe-core checks each new page (the admin's invited person, the invitation, the
// practices page); screenshots (with SCREENSHOTS=1) in artifacts/screenshots/invitation-*.png.
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { UserDoc } from '../../src/accounts/service.js';
import type { Types } from 'mongoose';
import { startMfaBench, type MfaBench } from '../helpers/mfa.js';
import { seriousViolations } from './axe.js';
import { launchChromium, screenshot } from './chromium.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';

describe('browser: inviting an existing identity to a practice', function () {
  this.timeout(120_000);
  let bench: MfaBench;
  let chromium: Browser;
  let adminContext: BrowserContext;
  let personContext: BrowserContext;
  let practiceId: Types.ObjectId;
  let admin: UserDoc;
  let locum: UserDoc;

  before(async () => {
    [bench, chromium] = await Promise.all([startMfaBench({ mfaPolicy: 'risk' }), launchChromium()]);
    practiceId = (await bench.server.createPractice({ name: 'Seaside Clinic' }))._id;
    const elsewhere = (await bench.server.createPractice({ name: 'Hilltop Clinic' }))._id;
    admin = await bench.server.createUser({ practiceId, email: 'admin@seaside.test', name: 'Ada Admin', role: 'admin', password: PASSWORD });
    locum = await bench.server.createUser({ practiceId: elsewhere, email: 'locum@hilltop.test', name: 'Dr Lou Own-Name', password: PASSWORD });
    adminContext = await chromium.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.20' } });
    personContext = await chromium.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.30' } });
  });
  after(async () => {
    await adminContext?.close();
    await personContext?.close();
    await chromium?.close();
    await bench?.close();
  });

  async function signIn(page: Page, user: UserDoc, path: string): Promise<void> {
    await page.goto(bench.server.url(path));
    await page.fill('#email', user.email);
    await page.fill('#password', PASSWORD);
    await page.click('button.primary');
    await page.waitForSelector('#code');
    await page.fill('#code', (await bench.mail.nextTo(user.email)).code!);
    await page.click('button.primary');
    await page.waitForURL(bench.server.url(path));
  }

  it('the admin invites them and sees "Invited" with the name typed, never their own', async () => {
    const page = await adminContext.newPage();
    await signIn(page, admin, '/admin/users/new');
    await page.fill('#name', 'Lou Locum');
    await page.fill('#email', locum.email);
    await page.selectOption('#role', 'clinician');
    await page.click('button[type="submit"]:not(.secondary)');
    await page.waitForURL(/\/admin\/users\?notice=invited/);
    expect(await page.locator('.notice').textContent()).to.include('The invitation was sent.');
    const row = page.locator('tr', { has: page.locator(`td:text-is("${locum.email}")`) });
    expect(await row.textContent()).to.include('Lou Locum').and.include('Invited').and.not.include('Own-Name');
    await screenshot(page, 'invitation-admin-list');
    await page.click('a:text-is("Lou Locum")');
    expect(await page.locator('h1').textContent()).to.equal('Lou Locum');
    expect(await seriousViolations(page)).to.deep.equal([]);
    await screenshot(page, 'invitation-admin-invited');
  });

  it('the person opens the emailed link, signs in and accepts; /account lists both practices', async () => {
    const mail = await bench.mail.nextTo(locum.email);
    const link = /https?:\/\/\S+\/account\/invitations\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
    const page = await personContext.newPage();
    await signIn(page, locum, new URL(link).pathname);
    expect(await page.locator('h1').textContent()).to.equal('Invitation to join Seaside Clinic');
    expect(await seriousViolations(page)).to.deep.equal([]);
    await screenshot(page, 'invitation-accept');
    await page.click('button[value="accept"]');
    await page.waitForURL(/\/account\/practices\?notice=joined/);
    const practices = await page.locator('#practices').textContent();
    expect(practices).to.include('Seaside Clinic').and.include('Hilltop Clinic');
    expect(await seriousViolations(page)).to.deep.equal([]);
    await screenshot(page, 'invitation-practices');
    const joined = await bench.server.models.Membership.findOne({ userId: locum._id, practiceId }).lean();
    expect(joined?.status).to.equal('active');
  });
});
