// Issue 12 items 1, 6 and 7 in a real browser (Chromium) with the demo EHR modules: the code page
// pending signs the browser in nowhere (another tab's /account and the other module both show the
// sign-in page); "Cancel and go back" and "Not you? Use another account" leave nothing of the
// previous clinician's sign-in; a module's "Sign out everywhere" signs out of every module without
// a provider "Sign out?" page. Screenshots (with SCREENSHOTS=1): artifacts/screenshots/workstation-*.png.
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { UserDoc } from '../../src/accounts/service.js';
import type { DemoModules } from '../../src/demo/index.js';
import { startDemoPair } from '../helpers/demo-modules.js';
import { startMfaBench, type MfaBench } from '../helpers/mfa.js';
import { launchChromium, screenshot } from './chromium.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';

describe('browser: a shared clinic workstation', function () {
  this.timeout(90_000);
  let bench: MfaBench;
  let chromium: Browser;
  let demo: DemoModules;
  let charting: DemoModules['modules'][number];
  let billing: DemoModules['modules'][number];
  const contexts: BrowserContext[] = [];

  before(async () => {
    [bench, chromium] = await Promise.all([startMfaBench({ mfaPolicy: 'always' }), launchChromium()]);
    ({ demo, charting, billing } = await startDemoPair(bench.server));
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await chromium?.close();
    await demo?.close();
    await bench?.close();
  });

  /** A fresh workstation browser (its own cookies). */
  async function workstation(): Promise<Page> {
    const context = await chromium.newContext({ viewport: { width: 1100, height: 800 } });
    contexts.push(context);
    return context.newPage();
  }
  const mailsTo = (user: UserDoc) => bench.mail.messages.filter((mail) => mail.to.includes(user.email)).length;

  async function password(page: Page, user: UserDoc): Promise<void> {
    await page.fill('#email', user.email);
    await page.fill('#password', PASSWORD);
    await page.click('button.primary');
    await page.waitForSelector('#code');
  }

  it('with the code page open, the account page and the other module ask for a sign-in; the code then signs in everywhere; sign-out asks nothing', async () => {
    const user = await bench.server.createUser({ password: PASSWORD });
    const page = await workstation();
    await page.goto(`${charting.url}/login`);
    await password(page, user);
    await screenshot(page, 'workstation-code-page');

    const other = await page.context().newPage();
    await other.goto(bench.server.url('/account/'));
    expect(await other.locator('#password').count(), '/account shows the sign-in page').to.equal(1);
    await other.goto(`${billing.url}/login`);
    expect(await other.locator('#password').count(), 'billing shows the sign-in page').to.equal(1);
    expect(await other.locator('#signed-in').count()).to.equal(0);
    await other.close();

    const { code } = await bench.mail.nextTo(user.email);
    await page.fill('#code', code!);
    await page.click('button.primary');
    await page.waitForSelector('#signed-in');
    expect(await page.locator('tr[data-claim="acr"] td').textContent()).to.equal('urn:ehr-idp:acr:mfa');
    await page.goto(`${billing.url}/login`);
    await page.waitForSelector('#signed-in');

    // "Sign out everywhere" in billing: straight to the module's signed-out page, no "Sign out?".
    await page.click('text=Sign out everywhere');
    await page.waitForSelector('#signed-out');
    expect(page.url()).to.equal(billing.postLogoutRedirectUri);
    await page.goto(`${charting.url}/`);
    expect(await page.locator('#signed-out').count(), 'charting signed out by back-channel').to.equal(1);
    await page.goto(`${charting.url}/login`);
    expect(await page.locator('#password').count(), 'the provider session is gone').to.equal(1);
  });

  it('Cancel and go back, then Sign in: the empty sign-in page, and no code to the previous clinician', async () => {
    const first = await bench.server.createUser({ password: PASSWORD });
    const page = await workstation();
    await page.goto(`${charting.url}/login`);
    await password(page, first);
    await bench.mail.nextTo(first.email);
    await page.click('text=Cancel and go back');
    await page.waitForSelector('.error');

    await page.goto(`${charting.url}/login`);
    expect(await page.locator('#password').count(), 'the sign-in page').to.equal(1);
    expect(await page.inputValue('#email')).to.equal('');
    expect(await page.locator('#code').count()).to.equal(0);
    expect(mailsTo(first)).to.equal(1);
    await screenshot(page, 'workstation-after-cancel');
  });

  it('"Not you? Use another account" on the code page lets the next clinician sign in', async () => {
    const first = await bench.server.createUser({ password: PASSWORD });
    const second = await bench.server.createUser({ password: PASSWORD, name: 'Dr Next Clinician' });
    const page = await workstation();
    await page.goto(`${charting.url}/login`);
    await password(page, first);
    await bench.mail.nextTo(first.email);
    await page.click('text=Not you? Use another account');
    await page.waitForSelector('#password');
    expect(await page.inputValue('#email')).to.equal('');

    await password(page, second);
    const { code } = await bench.mail.nextTo(second.email);
    await page.fill('#code', code!);
    await page.click('button.primary');
    await page.waitForSelector('#signed-in');
    expect(await page.locator('#signed-in').textContent()).to.include('Dr Next Clinician');
    expect(mailsTo(first)).to.equal(1);
    await screenshot(page, 'workstation-another-account');
  });
});
