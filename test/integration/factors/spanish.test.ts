// The second-factor pages under /account, their emails and the factor errors on the code page speak
// the request's language: a browser asking for Spanish sets up an authenticator app, is refused a
// wrong code, gets the "added" email and later the sign-in refusal in Spanish, and reads the passkey,
// recovery-code and default-factor pages in Spanish with no English sentence left.
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { passwordStep, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { openSignedIn, PASSWORD, postForm } from '../account/bench.js';
import { appCode, manualKey, submitFactor } from './bench.js';

const SPANISH = 'es-US,es;q=0.9,en;q=0.5';

function spanishBrowser(from: string): Browser {
  const browser = new Browser({ from });
  browser.acceptLanguage = SPANISH;
  return browser;
}

/** Signs in (the helper reads the English code email), then reads `path` as a Spanish browser. */
async function openInSpanish(bench: MfaBench, user: Parameters<typeof openSignedIn>[2], path: string, from: string) {
  const browser = new Browser({ from });
  await openSignedIn(bench, browser, user, '/account');
  browser.acceptLanguage = SPANISH;
  return { browser, page: await browser.get(bench.server.url(path)) };
}

describe('factors: set-up pages, emails and refusals in Spanish', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  before(async () => { bench = await startMfaBench({ mfaPolicy: 'always' }); });
  after(() => bench.close());

  it('sets up an authenticator app in Spanish: page, wrong first code, email, then a wrong code at sign-in', async () => {
    const user = await bench.server.createUser({ email: 'ana.totp@clinic.test', password: PASSWORD });
    const { browser, page } = await openInSpanish(bench, user, '/account/authenticator', '203.0.113.90');
    expect(page.html).to.include('<html lang="es"').and.include('Configurar una aplicación de autenticación')
      .and.include('aria-label="Código QR para su aplicación de autenticación"').and.include('Guardar la aplicación')
      .and.not.include('Set up an authenticator app');
    const wrong = await postForm(bench, browser, page, '/account/authenticator', { code: '000000' });
    expect(wrong.status).to.equal(400);
    expect(wrong.html).to.include('Ese código no es correcto. Escriba el código de 6 dígitos que muestra ahora su aplicación.');
    const key = manualKey(wrong);
    const saved = await browser.follow(await postForm(bench, browser, wrong, '/account/authenticator', { code: appCode(bench, key) }));
    expect(saved.html).to.include('Su cuenta tiene una aplicación de autenticación configurada (desde el ');
    const mail = await bench.mail.waitFor((message) => message.to.includes(user.email) && message.subject.includes('Se agregó una aplicación de autenticación'));
    expect(mail.text).to.include('Se configuró una aplicación de autenticación').and.not.include('authenticator app was set up');

    bench.server.clock.advance(60_000);
    const signIn = spanishBrowser('203.0.113.91');
    const attempt = await passwordStep(signIn, bench.charting, user.email, PASSWORD);
    const refused = await submitFactor(signIn, attempt.page, appCode(bench, key, 3));
    expect(refused.status).to.equal(401);
    expect(refused.html).to.include('Ese código no es correcto. Revíselo e inténtelo de nuevo.');
  });

  it('shows the passkey, recovery-code and default-factor pages in Spanish', async () => {
    const user = await bench.server.createUser({ email: 'ana.pages@clinic.test', password: PASSWORD });
    const { browser, page: passkeys } = await openInSpanish(bench, user, '/account/passkeys', '203.0.113.92');
    expect(passkeys.html).to.include('No tiene llaves de acceso ni llaves de seguridad.').and.include('Agregar una llave de seguridad');
    const adding = await browser.get(bench.server.url('/account/passkeys/new?kind=passkey'));
    expect(adding.html).to.include('Póngale un nombre').and.include('data-not-used="No se usó su llave de acceso');
    const recovery = await browser.get(bench.server.url('/account/recovery-codes'));
    expect(recovery.html).to.include('No tiene códigos de recuperación.').and.include('Crear códigos de recuperación');
    const made = await postForm(bench, browser, recovery, '/account/recovery-codes');
    expect(made.html).to.include('Guarde estos códigos ahora');
    const mail = await bench.mail.waitFor((message) => message.to.includes(user.email) && message.subject === 'Se crearon nuevos códigos de recuperación para su cuenta');
    expect(mail.text).to.include('Los códigos de juegos anteriores ya no funcionan.');
    const first = await browser.get(bench.server.url('/account/default-factor'));
    expect(first.html).to.include('Qué usar primero al iniciar sesión').and.include('Enviar el código por correo electrónico');
    const refused = await postForm(bench, browser, first, '/account/default-factor', { factor: 'recovery' });
    expect(refused.html).to.include('Elija una de las formas de la lista.');
  });
});
