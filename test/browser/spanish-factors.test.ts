// The second-factor pages in Chromium, as a Spanish-speaking front desk reads them: the code page
// headed by the practice's logo (its name as the image's text), then under /account the
// authenticator app set-up with its QR code, the recovery codes, the passkeys and the default
// factor, each with <html lang="es">, a Spanish heading and axe-core clean; the "authenticator app
// added" email in Spanish; and the code page's refusal of a wrong app code in Spanish.
// Screenshots (with SCREENSHOTS=1): artifacts/screenshots/es-factors-*.png.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { UserDoc } from '../../src/accounts/service.js';
import { saveLogo } from '../../src/admin/branding/logo-store.js';
import { codeAt, stepAt } from '../../src/mfa/factors/totp/steps.js';
import { startMfaBench, type MfaBench } from '../helpers/mfa.js';
import { seriousViolations } from './axe.js';
import { launchChromium, screenshot } from './chromium.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('browser: second-factor pages and emails in Spanish (axe-core, WCAG 2.2 AA)', function () {
  this.timeout(120_000);
  let bench: MfaBench;
  let chromium: Browser;
  let nurse: UserDoc;

  before(async () => {
    [bench, chromium] = await Promise.all([startMfaBench({ mfaPolicy: 'always' }), launchChromium()]);
    const practice = await bench.server.createPractice({ name: 'Clínica del Valle', mfaPolicy: 'always' });
    await saveLogo(bench.server.models, practice._id, PNG, 'image/png', new Date());
    nurse = await bench.server.createUser({ practiceId: practice._id, email: 'rosa@valle.test', name: 'Rosa Enfermera', password: PASSWORD });
  });
  after(async () => {
    await chromium?.close();
    await bench?.close();
  });

  it('code page with the logo, the factor set-up pages, the email and a refused app code, in Spanish with no serious violation', async () => {
    const context = await chromium.newContext({ locale: 'es-US', viewport: { width: 1366, height: 768 }, extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.61' } });
    const page: Page = await context.newPage();
    const found: string[] = [];
    const check = async (name: string, heading: string) => {
      await page.waitForLoadState('load');
      expect(await page.getAttribute('html', 'lang'), name).to.equal('es');
      expect(await page.textContent('h1'), name).to.equal(heading);
      for (const violation of await seriousViolations(page)) found.push(`${name}: ${violation}`);
      await screenshot(page, `es-factors-${name}`);
    };
    const signIn = async () => {
      await page.fill('#email', nurse.email);
      await page.fill('#password', PASSWORD);
      await page.click('button.primary');
      await page.waitForSelector('#code');
    };
    try {
      await page.goto(bench.server.url('/account/authenticator'));
      expect(await page.locator('img.practice-logo').count(), 'no logo before the password').to.equal(0);
      await signIn();
      await check('code', 'Escriba su código');
      expect(await page.getAttribute('img.practice-logo', 'alt')).to.equal('Logotipo de Clínica del Valle');
      const mail = bench.mail.messages.filter((candidate) => candidate.to.includes(nurse.email)).at(-1)!;
      await page.fill('#code', mail.code!);
      await page.click('button.primary');
      await page.waitForSelector('#manual-key');
      await check('authenticator', 'Aplicación de autenticación');
      expect(await page.getAttribute('.qr svg', 'aria-label')).to.equal('Código QR para su aplicación de autenticación');
      const key = (await page.textContent('#manual-key'))!.replace(/ /g, '');
      await page.fill('#code', codeAt(key, stepAt(bench.server.clock.now())));
      await page.click('form.card button.primary');
      await page.waitForSelector('p.notice');
      await check('authenticator-saved', 'Aplicación de autenticación');
      const added = await bench.mail.waitFor((candidate) => candidate.to.includes(nurse.email) && candidate.subject === 'Se agregó una aplicación de autenticación a su cuenta');
      expect(added.text).to.include('Hola, Rosa Enfermera').and.include('Se configuró una aplicación de autenticación para iniciar sesión en su cuenta.');

      for (const [path, heading] of [['/account/recovery-codes', 'Códigos de recuperación'], ['/account/passkeys', 'Llaves de acceso y llaves de seguridad'], ['/account/default-factor', 'Qué usar primero al iniciar sesión']] as const) {
        await page.goto(bench.server.url(path));
        await check(path.slice('/account/'.length), heading);
      }
      await page.goto(bench.server.url('/account/recovery-codes'));
      await page.click('form button.primary');
      await page.waitForSelector('#recovery-codes');
      await check('recovery-codes-shown', 'Códigos de recuperación');

      // A new sign-in elsewhere offers the app first; a wrong app code is refused in Spanish.
      const other = await chromium.newContext({ locale: 'es-US', extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.62' } });
      try {
        const second = await other.newPage();
        bench.server.clock.advance(90_000);
        await second.goto(bench.server.url('/account'));
        await second.fill('#email', nurse.email);
        await second.fill('#password', PASSWORD);
        await second.click('button.primary');
        await second.waitForSelector('#code');
        await second.fill('#code', codeAt(key, stepAt(bench.server.clock.now()) + 3));
        await second.click('button.primary');
        await second.waitForSelector('#mfa-notice');
        expect(await second.textContent('#mfa-notice')).to.include('Ese código no es correcto. Revíselo e inténtelo de nuevo.');
        for (const violation of await seriousViolations(second)) found.push(`code-wrong-app: ${violation}`);
      } finally {
        await other.close();
      }
    } finally {
      await context.close();
    }
    expect(found).to.deep.equal([]);
  });
});
