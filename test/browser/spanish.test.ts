// The Spanish sign-in in Chromium (a browser whose language is Spanish, as a clinic's front-desk
// machine may be set): sign-in, wrong password, code page, wrong code, /account and its pages, and the reset request, each
// with <html lang="es"> and axe-core clean (no serious or critical WCAG 2.2 A/AA violation). Then
// the switcher back to English keeps the same sign-in. Screenshots (with SCREENSHOTS=1): artifacts/screenshots/es-*.png.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { UserDoc } from '../../src/accounts/service.js';
import { startMfaBench, type MfaBench } from '../helpers/mfa.js';
import { seriousViolations } from './axe.js';
import { launchChromium, screenshot } from './chromium.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';

describe('browser: the sign-in in Spanish (axe-core, WCAG 2.2 AA)', function () {
  this.timeout(120_000);
  let bench: MfaBench;
  let chromium: Browser;
  let nurse: UserDoc;

  before(async () => {
    [bench, chromium] = await Promise.all([startMfaBench({ mfaPolicy: 'always' }), launchChromium()]);
    const practiceId = (await bench.server.createPractice({ name: 'Clínica del Valle', mfaPolicy: 'always' }))._id;
    nurse = await bench.server.createUser({ practiceId, email: 'nora@valle.test', name: 'Nora Enfermera', password: PASSWORD });
  });
  after(async () => {
    await chromium?.close();
    await bench?.close();
  });

  it('sign-in, code, account and reset pages are in Spanish, with lang="es" and no serious violation; the switcher keeps the sign-in', async () => {
    const context = await chromium.newContext({ locale: 'es-MX', viewport: { width: 390, height: 844 }, extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.41' } });
    const page: Page = await context.newPage();
    const found: string[] = [];
    const check = async (name: string, heading: string) => {
      await page.waitForLoadState('load');
      expect(await page.getAttribute('html', 'lang'), name).to.equal('es');
      expect(await page.textContent('h1'), name).to.equal(heading);
      for (const violation of await seriousViolations(page)) found.push(`${name}: ${violation}`);
      await screenshot(page, `es-${name}`);
    };
    try {
      await page.goto(bench.server.url('/account'));
      await check('sign-in', 'Iniciar sesión');
      await page.fill('#email', nurse.email);
      await page.fill('#password', 'no es la contraseña');
      await page.click('button.primary');
      await check('sign-in-failed', 'Iniciar sesión');
      expect(await page.textContent('#login-error')).to.equal('El correo electrónico o la contraseña no son correctos.');
      await page.fill('#password', PASSWORD);
      await page.click('button.primary');
      await page.waitForSelector('#code');
      await check('code', 'Escriba su código');
      await page.fill('#code', '000000');
      await page.click('button.primary');
      await page.waitForSelector('#mfa-notice');
      await check('code-wrong', 'Escriba su código');
      // The switcher: the same sign-in, now in English.
      await page.click('.language-switcher a[lang="en"]');
      await page.waitForSelector('#code');
      expect(await page.getAttribute('html', 'lang')).to.equal('en');
      expect(await page.textContent('h1')).to.equal('Enter your code');
      await page.click('.language-switcher a[lang="es"]');
      await page.waitForSelector('#code');
      // The code email, in Spanish (the switcher's visits sent no other: the same code stands).
      const newest = bench.mail.messages.filter((candidate) => candidate.to.includes(nurse.email)).at(-1)!;
      expect(newest.subject).to.match(/^\d{6} es su código de verificación$/);
      await page.fill('#code', newest.code!);
      await page.click('button.primary');
      await page.waitForSelector('.account-nav');
      await check('account', 'Su cuenta');
      for (const [path, heading] of [['/account/two-step', 'Verificación en dos pasos'], ['/account/devices', 'Dispositivos conocidos'], ['/account/activity', 'Inicios de sesión recientes'], ['/account/password', 'Cambiar su contraseña']] as const) {
        await page.goto(bench.server.url(path));
        await check(path.slice(1).replace('/', '-'), heading);
      }
      await page.goto(bench.server.url('/password-reset'));
      await check('reset-request', 'Restablecer su contraseña');
    } finally {
      await context.close();
    }
    expect(found).to.deep.equal([]);
  });
});
