// The SMART demo in Chromium: charting EHR-launches the demo SMART app (consent page, app page), and
// the app's standalone launch goes through the charting module's patient picker. Each page is checked
// by axe-core (WCAG 2.2 AA, no serious or critical violation) and, with SCREENSHOTS=1, saved as artifacts/screenshots/smart-<page>.png.
// A real browser also proves the demo pages' CSP lets the launch form's redirects through.
import { expect } from 'chai';
import { createServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { Browser, Page } from 'playwright-core';
import type { DemoModules } from '../../src/demo/index.js';
import { DEMO_PRACTICE_NAME, DEMO_USERS } from '../../src/demo/seed.js';
import { startDemo } from '../../src/demo/start.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { seriousViolations } from './axe.js';
import { launchChromium, screenshot } from './chromium.js';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('browser: the SMART demo (EHR launch and patient picker)', function () {
  this.timeout(120_000);
  let idp: TestServer;
  let demo: DemoModules;
  let chromium: Browser;
  let charting: string;
  let smartApp: string;

  before(async () => {
    idp = await startServer();
    const ports = { charting: await freePort(), billing: await freePort(), smartApp: await freePort() };
    charting = `http://localhost:${ports.charting}`;
    smartApp = `http://localhost:${ports.smartApp}`;
    await idp.createPractice({ name: DEMO_PRACTICE_NAME, mfaPolicy: 'off' });
    [demo, chromium] = await Promise.all([
      startDemo({ ...idp.config, nodeEnv: 'development', demoPorts: ports }, idp.idp, { info() {}, warn() {}, error() {} }, () => {}),
      launchChromium(),
    ]);
  });
  after(async () => {
    await chromium?.close();
    await demo?.close();
    await idp?.close();
  });

  it('launches the app from a chart, then through the picker, with no serious or critical violation', async () => {
    const context = await chromium.newContext({ viewport: { width: 1366, height: 768 } });
    const page: Page = await context.newPage();
    const found: string[] = [];
    const check = async (name: string) => {
      await page.waitForLoadState('load');
      for (const violation of await seriousViolations(page)) found.push(`${name}: ${violation}`);
      await screenshot(page, `smart-${name}`);
    };
    try {
      await page.goto(`${charting}/login`);
      await page.fill('#email', DEMO_USERS.clinician.email);
      await page.fill('#password', DEMO_USERS.clinician.password);
      await page.click('button.primary');
      await page.waitForSelector('#smart-launch');
      await check('charting-chart');

      await page.click('button:text("Growth Chart for Avery Madeup (fictional)")');
      await page.waitForSelector('button[value="approve"]');
      await check('consent');
      await page.click('button[value="approve"]');
      await page.waitForURL(`${smartApp}/`);
      expect(await page.locator('tr[data-context="patient"] td').textContent()).to.equal('demo-pat-1');
      expect(await page.locator('#patient-banner').textContent()).to.contain('demo-pat-1');
      await check('app-ehr-launch');

      await page.click('#standalone');
      const approve = page.locator('button[value="approve"]');
      await page.waitForURL((url) => url.href.startsWith(`${charting}/patient-picker`) || url.pathname.startsWith('/interaction/'));
      if (await approve.count()) await approve.click();
      await page.waitForSelector('#picker');
      await check('picker');
      await page.click('button:text("Sam Notreal (fictional), born 2016-07-14")');
      await page.waitForURL(`${smartApp}/`);
      expect(await page.locator('tr[data-context="patient"] td').textContent()).to.equal('demo-pat-3');
      expect(await page.locator('tr[data-context="launch"] td').textContent()).to.equal('standalone launch');
      await check('app-standalone');
    } finally {
      await context.close();
    }
    expect(found, found.join('\n')).to.deep.equal([]);
  });
});
