// Pages, emails and texts in the reader's language: the app's ui_locales first, then the browser's
// Accept-Language, then the practice's default language; English when none of them names one we
// have. What is sent outside the recipient's own request (an admin's invitation, the notice that
// strangers are trying their account) is in the recipient's language: the one of their last
// sign-in, else their practice's.
import { expect } from 'chai';
import { Browser, field, type Page } from '../../helpers/browser.js';
import { extractCode } from '../../helpers/mail-catcher.js';
import { finishAt, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { startAuthorization, submitLogin } from '../../helpers/rp.js';
import { adminSignIn } from '../../helpers/admin-signin.js';

const PASSWORD = 'A long harbor passphrase 7';
const htmlLang = (page: Page) => /<html lang="([^"]+)"/.exec(page.html)?.[1];

describe('languages: pages, emails and texts in English or Spanish', () => {
  let bench: MfaBench;
  let sequence = 0;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always', env: { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' } });
  });
  after(() => bench.close());

  const newUser = async (extra: { phone?: string; practiceLanguage?: 'en' | 'es' } = {}) => {
    const practice = await bench.server.createPractice({ name: `Clínica ${++sequence}`, mfaPolicy: 'always' });
    if (extra.practiceLanguage) await bench.server.models.Practice.updateOne({ _id: practice._id }, { $set: { language: extra.practiceLanguage } });
    return bench.server.createUser({ practiceId: practice._id, email: `lang${sequence}@clinic.test`, password: PASSWORD, ...(extra.phone ? { phone: extra.phone } : {}) });
  };
  async function loginPage(browser: Browser, params: Record<string, string> = {}) {
    const start = await startAuthorization(bench.charting, params);
    return browser.follow(await browser.get(start.url.href), bench.charting.redirectUri);
  }

  it('discovery lists en and es in ui_locales_supported', () => {
    expect(bench.charting.config.serverMetadata().ui_locales_supported).to.deep.equal(['en', 'es']);
  });

  it('ui_locales=es: the sign-in page, the code page and the emailed code are in Spanish, over an English browser', async () => {
    const user = await newUser();
    const browser = new Browser({ from: '198.51.100.80' });
    browser.acceptLanguage = 'en-US,en;q=0.9';
    const login = await loginPage(browser, { ui_locales: 'es' });
    expect(htmlLang(login)).to.equal('es');
    expect(login.html).to.include('<h1>Iniciar sesión</h1>').and.include('¿Olvidó su contraseña?').and.include('Contraseña');
    // "Forgot password?" keeps the language for the reset pages.
    const reset = await browser.get(new URL(/href="(\/password-reset\?[^"]+)"/.exec(login.html)![1]!.replaceAll('&amp;', '&'), login.url).href);
    expect(reset.html).to.include('<h1>Restablecer su contraseña</h1>');
    const codePage = await browser.follow(await submitLogin(browser, login, user.email, PASSWORD));
    expect(isCodePage(codePage)).to.equal(true);
    expect(htmlLang(codePage)).to.equal('es');
    expect(codePage.html).to.include('Escriba su código').and.include('Enviamos un código de verificación de 6 dígitos por correo electrónico a');
    const mail = await bench.mail.nextTo(user.email);
    expect(mail.subject).to.equal(`${mail.code} es su código de verificación`);
    expect(mail.text).to.include('Escriba este código en la página de inicio de sesión').and.include('No comparta este código');
    expect(mail.html).to.include('<html lang="es">');
    // A wrong code is refused in Spanish too.
    const wrong = await submitCode(browser, codePage, mail.code === '000000' ? '111111' : '000000');
    expect(wrong.html).to.include('Ese código no es correcto. Le quedan 4 intentos.');
  });

  it('ui_locales=es with a phone: the texted code is in Spanish', async () => {
    const user = await newUser({ phone: '+15551230071' });
    const browser = new Browser({ from: '198.51.100.81' });
    const codePage = await browser.follow(await submitLogin(browser, await loginPage(browser, { ui_locales: 'es-US en' }), user.email, PASSWORD));
    expect(codePage.html).to.include('por mensaje de texto a');
    const text = await bench.sms.nextTo(user.phone!);
    expect(text.body).to.match(/^\d{6} es su código de verificación para iniciar sesión en Clínica \d+\. Vence en 10 minutos\. No lo comparta con nadie\.$/);
  });

  it('Accept-Language es-MX,es;q=0.9 without ui_locales: Spanish, and the sign-in remembers it for the user', async () => {
    const user = await newUser();
    const browser = new Browser({ from: '198.51.100.82' });
    browser.acceptLanguage = 'es-MX,es;q=0.9';
    const login = await loginPage(browser);
    expect(htmlLang(login)).to.equal('es');
    expect(login.html).to.include('Correo electrónico').and.include('Iniciar sesión');
    const refused = await submitLogin(browser, login, user.email, 'not the password');
    expect(refused.html).to.include('El correo electrónico o la contraseña no son correctos.');
    const codePage = await browser.follow(await submitLogin(browser, refused, user.email, PASSWORD));
    expect(codePage.html).to.include('Escriba su código');
    expect((await bench.server.models.User.findById(user._id).lean())!.language).to.equal('es');
  });

  it('the practice default es with a browser that names no language we have: the code page and email in Spanish', async () => {
    const user = await newUser({ practiceLanguage: 'es' });
    const browser = new Browser({ from: '198.51.100.83' });
    browser.acceptLanguage = 'de-DE,fr;q=0.8';
    // Before the user is known, no practice is: the sign-in page is in English.
    const login = await loginPage(browser);
    expect(htmlLang(login)).to.equal('en');
    const codePage = await browser.follow(await submitLogin(browser, login, user.email, PASSWORD));
    expect(htmlLang(codePage)).to.equal('es');
    expect(codePage.html).to.include('Escriba su código');
    expect((await bench.mail.nextTo(user.email)).subject).to.match(/^\d{6} es su código de verificación$/);
    // Nothing the browser said was remembered: later notices follow the practice.
    expect((await bench.server.models.User.findById(user._id).lean())!.language).to.equal(undefined);
  });

  it('an unsupported language (ui_locales=fr, Accept-Language fr) falls back to English everywhere', async () => {
    const user = await newUser();
    const browser = new Browser({ from: '198.51.100.84' });
    browser.acceptLanguage = 'fr-FR,fr;q=0.9';
    const login = await loginPage(browser, { ui_locales: 'fr-CA fr' });
    expect(htmlLang(login)).to.equal('en');
    expect(login.html).to.include('<h1>Sign in</h1>');
    const codePage = await browser.follow(await submitLogin(browser, login, user.email, PASSWORD));
    expect(codePage.html).to.include('Enter your code');
    expect((await bench.mail.nextTo(user.email)).subject).to.match(/^\d{6} is your sign-in code$/);
  });

  it('the switcher link keeps the sign-in: the same interaction, now in Spanish, and the choice stays for the next page', async () => {
    const user = await newUser();
    const browser = new Browser({ from: '198.51.100.85' });
    const login = await loginPage(browser);
    const href = /<a href="([^"]+\?lang=es)"/.exec(login.html)?.[1];
    expect(href).to.match(/^\/interaction\/[\w-]+\/\?lang=es$/);
    const spanish = await browser.get(new URL(href!, login.url).href);
    expect(spanish.status).to.equal(200);
    expect(field(spanish.html, '_csrf')).to.be.a('string');
    expect(spanish.html).to.include('<h1>Iniciar sesión</h1>');
    const codePage = await browser.follow(await submitLogin(browser, spanish, user.email, PASSWORD));
    expect(codePage.html).to.include('Escriba su código');
  });

  it('the sign-in for /account names "your account" in the page\'s language', async () => {
    const browser = new Browser({ from: '198.51.100.86' });
    browser.acceptLanguage = 'es-MX,es;q=0.9';
    const page = await browser.follow(await browser.get(new URL('/account', bench.server.issuer).href));
    expect(htmlLang(page)).to.equal('es');
    expect(page.html).to.include('su cuenta').and.not.include('your account');
  });

  it('an error page for a bad authorization request follows ui_locales', async () => {
    const browser = new Browser();
    const url = new URL('/auth', bench.server.issuer);
    url.search = new URLSearchParams({ client_id: 'no-such-app', response_type: 'code', scope: 'openid', redirect_uri: 'http://127.0.0.1:4/callback', ui_locales: 'es' }).toString();
    const page = await browser.get(url.href);
    expect(page.status).to.equal(400);
    expect(htmlLang(page)).to.equal('es');
    expect(page.html).to.include('No reconocemos esta aplicación').and.include('Detalles técnicos');
  });

  it('an invitation an admin sends goes out in the new user\'s practice language, whatever the admin reads', async () => {
    const admin = await newUser({ practiceLanguage: 'es' });
    await bench.server.models.User.updateOne({ _id: admin._id }, { $set: { language: 'en' } });
    await bench.server.models.Membership.updateOne({ userId: admin._id }, { $set: { role: 'admin' } });
    const signedIn = await adminSignIn(bench, admin, PASSWORD, '/admin/users/new', '198.51.100.86');
    expect(signedIn.page.status).to.equal(200);
    const created = await signedIn.browser.post(bench.server.url('/admin/users'), { _csrf: field(signedIn.page.html, '_csrf'), name: 'Rosa Nueva', email: 'rosa.nueva@clinic.test', role: 'clinician' });
    expect(created.status).to.equal(303);
    const invitation = await bench.mail.nextTo('rosa.nueva@clinic.test');
    expect(invitation.subject).to.match(/^Le invitamos a iniciar sesión en Clínica \d+$/);
    expect(invitation.text).to.include('Hola, Rosa Nueva:').and.include('Abra este enlace para elegir su contraseña').and.include('Este es un mensaje automático');
  });

  it('the notice that strangers are trying an account is in its owner\'s language, not the strangers\'', async () => {
    const user = await newUser();
    const desk = new Browser({ from: '198.51.100.87' });
    desk.acceptLanguage = 'es-US';
    const attempt = await passwordStep(desk, bench.charting, user.email, PASSWORD);
    await finishAt(desk, attempt, bench.charting, await submitCode(desk, attempt.page, extractCode((await bench.mail.nextTo(user.email)).text)!));
    for (let i = 2; i <= 13; i++) {
      const stranger = new Browser({ from: `127.0.1.${i}` });
      stranger.acceptLanguage = 'en-US';
      expect((await submitLogin(stranger, await loginPage(stranger), user.email, `guess ${i}`)).status).to.equal(401);
    }
    const notice = await bench.mail.waitFor((mail) => mail.to.includes(user.email) && mail.subject.startsWith('Alguien'));
    expect(notice.subject).to.equal('Alguien está intentando iniciar sesión en su cuenta');
    expect(notice.text).to.include('Todavía puede iniciar sesión como siempre').and.include('Si no fue usted, comuníquese ahora');
  });

  it('an admin sets the practice language on the security page; it is audited, and a language we do not have is refused', async () => {
    const admin = await newUser();
    await bench.server.models.Membership.updateOne({ userId: admin._id }, { $set: { role: 'admin' } });
    const { browser, page } = await adminSignIn(bench, admin, PASSWORD, '/admin/security', '198.51.100.88');
    expect(page.html).to.match(/<select id="language" name="language"><option value="en" selected lang="en">English<\/option><option value="es" lang="es">Español<\/option>/);
    const form = {
      mfaPolicy: 'always', trustedIpsBypass: 'on', sessionIdleMinutes: '15', minLength: '12',
      requireUpper: 'on', requireLower: 'on', requireDigit: 'on', requireSpecial: 'on', rejectCommon: 'on', rejectPersonal: 'on',
    };
    const refused = await browser.post(bench.server.url('/admin/security'), { _csrf: field(page.html, '_csrf'), ...form, language: 'fr' });
    expect(refused.status).to.equal(400);
    expect(refused.html).to.include("Choose the practice's language: en or es.");
    const saved = await browser.post(bench.server.url('/admin/security'), { _csrf: field(page.html, '_csrf'), ...form, language: 'es' });
    expect(saved.status).to.equal(303);
    expect(await bench.server.models.Practice.findById(admin.practiceId).lean()).to.include({ language: 'es' });
    const entries = await bench.server.models.AuditEntry.collection.find({ event: 'admin.practice.security_changed', practiceId: String(admin.practiceId) }).toArray();
    expect(entries.map((entry) => entry.details)).to.deep.equal([{ before: { language: 'en' }, after: { language: 'es' } }]);
  });

  /** Opens /account in `browser`, signing in with the password and the emailed code (any language). */
  async function openAccount(browser: Browser, user: { email: string }, path = '/account'): Promise<Page> {
    const login = await browser.follow(await browser.get(bench.server.url(path)));
    const codePage = await browser.follow(await submitLogin(browser, login, user.email, PASSWORD));
    expect(isCodePage(codePage)).to.equal(true);
    return browser.follow(await submitCode(browser, codePage, (await bench.mail.nextTo(user.email)).code!));
  }

  it('/account in Spanish for a Spanish browser, and its "was this you?" email in Spanish from greeting to footer', async () => {
    const user = await newUser();
    const browser = new Browser({ from: '198.51.100.89' });
    browser.acceptLanguage = 'es-US,es;q=0.9,en;q=0.5';
    const overview = await openAccount(browser, user);
    expect(overview.status).to.equal(200);
    expect(htmlLang(overview)).to.equal('es');
    expect(overview.html).to.include('<h1>Su cuenta</h1>').and.include('Verificación en dos pasos').and.include('1 dispositivo.').and.include('Cerrar sesión en todas partes');
    const devices = await browser.get(bench.server.url('/account/devices'));
    expect(devices.html).to.include('Olvidar todos los dispositivos').and.include('aria-label="Olvidar este dispositivo: Firefox on Windows');
    const forgot = await browser.follow(await browser.post(bench.server.url('/account/devices/forget-all'), { _csrf: field(devices.html, '_csrf') }));
    expect(forgot.html).to.include('Se olvidaron todos los dispositivos');
    const notice = await bench.mail.nextTo(user.email);
    expect(notice.subject).to.equal('Se olvidaron sus dispositivos conocidos');
    expect(notice.text).to.match(/^Hola, Dr Test User:\n\nSe olvidó su dispositivo conocido: /);
    expect(notice.text).to.include('Cuándo: ').and.include('Si no fue usted, comuníquese ahora').and.include('Este es un mensaje automático sobre su cuenta en Clínica');
    expect(notice.html).to.include('<html lang="es">');
  });

  it('/account follows the practice language when the browser names none we have', async () => {
    const user = await newUser({ practiceLanguage: 'es' });
    const browser = new Browser({ from: '198.51.100.90' });
    browser.acceptLanguage = 'de';
    const twoStep = await openAccount(browser, user, '/account/two-step');
    expect(htmlLang(twoStep)).to.equal('es');
    expect(twoStep.html).to.include('<h1>Verificación en dos pasos</h1>').and.include('Su consultorio pide un código cada vez que se inicia sesión');
  });
});
