// The practice chooser after the password (issue 19), in Chromium: a person in two practices signs
// in to /account and is asked which practice. axe-core finds no serious or critical violation on
// the chooser nor on its error state (a practice not offered, posted by editing the form as an
// attacker would: refused, nothing entered); at phone width (390×844) nothing is wider than the
// screen, even with a long practice name; and it works by keyboard alone: Tab to the choices, an
// arrow key and Space to pick, Tab to Continue, Enter. Screenshots (with SCREENSHOTS=1): artifacts/screenshots/chooser-*.png.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Types } from 'mongoose';
import { createMemberships } from '../../src/accounts/memberships.js';
import type { UserDoc } from '../../src/accounts/service.js';
import { startMfaBench, type MfaBench } from '../helpers/mfa.js';
import { seriousViolations } from './axe.js';
import { launchChromium, screenshot } from './chromium.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';
const LONG_NAME = 'Saint Bartholomew\'s Community Health Centre of the Northern Valleys and Coastal Townships';
const SIZES = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } } as const;

describe('browser: the practice chooser after the password', function () {
  this.timeout(120_000);
  let bench: MfaBench;
  let chromium: Browser;
  let person: UserDoc;
  let harbor: Types.ObjectId;
  let saint: Types.ObjectId;
  let foreign: Types.ObjectId;

  before(async () => {
    [bench, chromium] = await Promise.all([startMfaBench({ mfaPolicy: 'off' }), launchChromium()]);
    harbor = (await bench.server.createPractice({ name: 'Harbor Clinic' }))._id;
    saint = (await bench.server.createPractice({ name: LONG_NAME }))._id;
    foreign = (await bench.server.createPractice({ name: 'Elsewhere Clinic' }))._id;
    person = await bench.server.createUser({ practiceId: harbor, email: 'lou.locum@clinics.test', name: 'Lou Locum', password: PASSWORD });
    await createMemberships({ models: bench.server.models }).addMembership({ userId: person._id, practiceId: saint, role: 'clinician' });
  });
  after(async () => {
    await chromium?.close();
    await bench?.close();
  });

  /** /account's sign-in, the password typed: the chooser. */
  async function toChooser(page: Page): Promise<void> {
    await page.goto(bench.server.url('/account'));
    await page.fill('#email', person.email);
    await page.fill('#password', PASSWORD);
    await page.click('button.primary');
    await page.waitForSelector('input[name="practice"]');
  }

  const overflow = (page: Page) => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;
  const enteredPractices = async () => (await bench.server.models.SessionActivity.find({ accountId: person.sub }).lean()).map((activity) => String(activity.practiceId));

  for (const [size, viewport] of Object.entries(SIZES)) {
    it(`the chooser and its error state: no serious or critical axe violation, nothing overflows (${size})`, async () => {
      const context = await chromium.newContext({ viewport, extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.41' } });
      try {
        const page = await context.newPage();
        await toChooser(page);
        expect(await page.locator('input[name="practice"]').evaluateAll((inputs) => inputs.map((input) => (input as { value: string }).value))).to.deep.equal([String(harbor), String(saint)]);
        expect(await page.locator('label').allTextContents()).to.include(LONG_NAME);
        expect(await page.locator('p.lead').textContent()).to.match(/^Your account asks you to sign in to one practice\./);
        expect(await seriousViolations(page)).to.deep.equal([]);
        expect(await overflow(page), 'chooser wider than the screen').to.be.at.most(0);
        await screenshot(page, `chooser-${size}`);

        // A practice not offered, posted by editing the form: refused on the page, nothing entered.
        const before = await enteredPractices();
        await page.locator('input[name="practice"]').first().evaluate((input, id) => { (input as { value: string }).value = id; }, String(foreign));
        await page.click('button.primary');
        await page.waitForSelector('[role="alert"]');
        expect(await page.locator('[role="alert"]').textContent()).to.include('Choose one of your practices.');
        // Announced, focused (as on the sign-in page) and describing the choices.
        expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).to.equal('practice-error');
        expect(await page.locator('fieldset').getAttribute('aria-describedby')).to.equal('practice-error');
        expect(await page.locator('input[name="practice"]').count(), 'the choices offered again').to.equal(2);
        expect(await enteredPractices()).to.deep.equal(before);
        expect(await seriousViolations(page)).to.deep.equal([]);
        expect(await overflow(page), 'error state wider than the screen').to.be.at.most(0);
        await screenshot(page, `chooser-error-${size}`);
      } finally {
        await context.close();
      }
    });
  }

  it('works by keyboard alone: Tab to the choices, arrow and Space to pick the second, Tab to Continue, Enter', async () => {
    const context = await chromium.newContext({ viewport: SIZES.phone, extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.42' } });
    try {
      const page = await context.newPage();
      await toChooser(page);
      const focused = () => page.evaluate(() => {
        const element = (globalThis as unknown as { document: { activeElement: { tagName: string; getAttribute(name: string): string | null; checked?: boolean; value?: string } | null } }).document.activeElement;
        return element ? { tag: element.tagName, name: element.getAttribute('name'), type: element.getAttribute('type'), value: element.value ?? null, checked: element.checked ?? null } : null;
      });
      let presses = 0;
      while ((await focused())?.name !== 'practice' && presses++ < 30) await page.keyboard.press('Tab');
      expect(await focused(), 'Tab reaches the checked choice').to.deep.include({ name: 'practice', value: String(harbor), checked: true });
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Space');
      expect(await focused(), 'the second choice, picked').to.deep.include({ name: 'practice', value: String(saint), checked: true });
      await page.keyboard.press('Tab');
      expect(await focused(), 'Tab leaves the group for Continue').to.deep.include({ tag: 'BUTTON', type: 'submit' });
      await page.keyboard.press('Enter');
      await page.waitForURL(bench.server.url('/account'));
      expect(await enteredPractices()).to.deep.equal([String(saint)]);
      expect(await overflow(page)).to.be.at.most(0);
      await screenshot(page, 'chooser-keyboard-done');
    } finally {
      await context.close();
    }
  });
});
