// The admin area in Chromium, as a Spanish-speaking office manager reads it (the browser asks for
// es-US): the users list, a user's page, "add a user" refused with its mistakes tied to their
// fields, a destructive action's confirmation page, practice security, trusted IPs and the audit
// log with a filter. On each page: <html lang="es">, a Spanish heading, none of a small list of
// English words in the visible text, times in the practice's zone written the Spanish way, and
// axe-core with no serious or critical violation. Screenshots (with SCREENSHOTS=1): artifacts/screenshots/es-admin-*.png.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { UserDoc } from '../../src/accounts/service.js';
import { startMfaBench, type MfaBench } from '../helpers/mfa.js';
import { seriousViolations } from './axe.js';
import { launchChromium, screenshot } from './chromium.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';
const ADMIN_IP = '198.51.100.71';
/** Words of an English sentence that no Spanish admin page may show (names and addresses do not contain them). */
const ENGLISH = [' the ', ' and ', ' of ', ' to ', ' is ', ' your ', ' with ', ' from ', 'Save', 'Users', 'Back', 'Remove', 'Sign ', 'Change', 'Add ', 'Audit', 'Please', 'Email', 'Trusted'];

describe('browser: the admin area in Spanish (axe-core, WCAG 2.2 AA)', function () {
  this.timeout(120_000);
  let bench: MfaBench;
  let chromium: Browser;
  let admin: UserDoc;
  let nurse: UserDoc;

  before(async () => {
    [bench, chromium] = await Promise.all([startMfaBench({ mfaPolicy: 'risk' }), launchChromium()]);
    const practice = await bench.server.createPractice({ name: 'Clínica del Valle' });
    await bench.server.models.Practice.updateOne({ _id: practice._id }, { $set: { timeZone: 'America/Chicago' } });
    admin = await bench.server.createUser({ practiceId: practice._id, email: 'ana@valle.test', name: 'Ana Directora', role: 'admin', password: PASSWORD });
    nurse = await bench.server.createUser({ practiceId: practice._id, email: 'rosa@valle.test', name: 'Rosa Enfermera', password: PASSWORD });
    await bench.server.models.TrustedIp.create({ practiceId: practice._id, entry: '203.0.113.0/24', description: 'Recepción', expiresAt: new Date('2030-06-30T12:00:00Z') });
  });
  after(async () => {
    await chromium?.close();
    await bench?.close();
  });

  it('users, a user, add-a-user mistakes, a confirmation, security, trusted IPs and the filtered audit log: Spanish, no serious violation', async () => {
    const context = await chromium.newContext({ locale: 'es-US', viewport: { width: 1366, height: 768 }, extraHTTPHeaders: { 'x-forwarded-for': ADMIN_IP } });
    const page: Page = await context.newPage();
    const found: string[] = [];
    // Playwright's innerText is the rendered text, what a reader sees (textContent would add hidden text).
    // biome-ignore lint/performance/useDomNodeTextContent: not a DOM node, a Playwright locator
    const seen = (selector: string) => page.locator(selector).innerText();
    const check = async (name: string, heading: string) => {
      await page.waitForLoadState('load');
      expect(await page.getAttribute('html', 'lang'), name).to.equal('es');
      expect((await page.textContent('h1'))?.trim(), name).to.equal(heading);
      const text = ` ${(await seen('body')).replace(/\s+/g, ' ')} `;
      expect(ENGLISH.filter((word) => text.includes(word)), `${name}: English words in "${text}"`).to.deep.equal([]);
      for (const violation of await seriousViolations(page)) found.push(`${name}: ${violation}`);
      await screenshot(page, `es-admin-${name}`);
    };
    try {
      await page.goto(bench.server.url('/admin/users'));
      await page.fill('#email', admin.email);
      await page.fill('#password', PASSWORD);
      await page.click('button.primary');
      await page.waitForSelector('#code');
      await page.fill('#code', (await bench.mail.nextTo(admin.email)).code!);
      await page.click('button.primary');
      await page.waitForURL(bench.server.url('/admin/users'));
      await check('users', 'Usuarios');
      expect(await seen('nav.admin-nav')).to.include('Registro de auditoría');
      expect(await seen('table.users')).to.include('Clínico').and.include('Administrador');

      await page.click(`a:text-is("${nurse.name}")`);
      await check('user', nurse.name);
      expect(await seen('#failed-attempts')).to.include('Intentos fallidos');

      // Two mistakes at once, each beside its field and named by it; the email's is the error table's sentence.
      await page.goto(bench.server.url('/admin/users/new'));
      await check('new-user', 'Agregar un usuario');
      await page.fill('#email', 'not-an-address');
      await page.click('form.card button.primary');
      await page.waitForSelector('.error-summary');
      await check('new-user-mistakes', 'Agregar un usuario');
      expect(await seen('#error-summary-title')).to.equal('Corrija estos 2 puntos:');
      for (const [field, message] of [['name', 'Escriba el nombre del usuario.'], ['email', 'Escriba un correo electrónico válido.']] as const) {
        expect(await page.getAttribute(`#${field}`, 'aria-invalid'), field).to.equal('true');
        const described = (await page.getAttribute(`#${field}`, 'aria-describedby'))!;
        expect(await seen(`[id="${described}"]`), field).to.equal(message);
        expect(await seen(`.error-summary a[href="#${field}"]`), field).to.equal(message);
      }

      // Deactivating is asked first, in words of what will happen, and works without script.
      await page.goto(bench.server.url(`/admin/users/${String(nurse._id)}`));
      await page.click('button:text-is("Desactivar al usuario")');
      await page.waitForSelector('#consequences');
      await check('confirm-deactivate', `¿Desactivar a ${nurse.name}?`);
      expect(await seen('#consequences')).to.include('ya no podrá iniciar sesión');
      await page.click(`button:text-is("Desactivar a ${nurse.name}")`);
      await page.waitForSelector('p.notice');
      await check('user-deactivated', nurse.name);
      expect(await seen('p.notice')).to.equal('Usuario desactivado en este consultorio: se cerraron las sesiones iniciadas en él. Sus otros consultorios, si los tiene, no se ven afectados.');

      await page.goto(bench.server.url('/admin/security'));
      await check('security', 'Seguridad del consultorio');

      // The expiry in the practice's zone (Chicago), as a Spanish reader writes a date.
      await page.goto(bench.server.url('/admin/ip-access'));
      await check('ip-access', 'Gestión del acceso por IP');
      const row = await seen('#trusted-ips tr[data-entry="203.0.113.0/24"]');
      expect(row).to.include('Todo el consultorio').and.include('Recepción').and.match(/hasta dom, 30 de jun de 2030, 7:00\s?a\.\s?m\. CDT/);

      await page.goto(bench.server.url('/admin/audit'));
      await check('audit', 'Registro de auditoría');
      await page.selectOption('#f-event', { label: 'Usuario desactivado' });
      await page.click('form.filters button.primary');
      await page.waitForSelector('#audit-count');
      await check('audit-filtered', 'Registro de auditoría');
      expect(await seen('#audit-count')).to.match(/^1 entrada · página 1 de 1$/);
      expect(await seen('#audit-entries tr[data-event="admin.user.deactivated"]')).to.include('Usuario desactivado').and.include('Correcto').and.match(/ CST|CDT/);

      // A filter that cannot run says why beside its field.
      await page.goto(bench.server.url('/admin/audit?ip=not-an-ip'));
      await check('audit-mistake', 'Registro de auditoría');
      expect(await page.getAttribute('#f-ip', 'aria-invalid')).to.equal('true');
      expect(await seen('#f-ip-error')).to.include('no es una dirección IP');
    } finally {
      await context.close();
    }
    expect(found).to.deep.equal([]);
  });
});
