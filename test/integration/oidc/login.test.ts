// The login page: no account discovery, CSRF on every form we own, accessible markup, and the
// argon2 hash upgrade on sign-in.
import { expect } from 'chai';
import argon2 from 'argon2';
import { startServer, type TestServer } from '../../helpers/server.js';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { relyingParty, startAuthorization, submitLogin, untilCallback, type RelyingParty } from '../../helpers/rp.js';

const PASSWORD = 'A long enough passphrase 1';

describe('oidc: login page', () => {
  let server: TestServer;
  let rp: RelyingParty;

  before(async () => {
    // The production argon2 parameters (other suites hash cheaply, test/helpers/server.ts): every
    // sign-in here verifies, and the upgrade below re-hashes, with what production uses.
    server = await startServer({ productionArgon2: true });
    await server.createUser({ email: 'active@clinic.test', password: PASSWORD });
    await server.createUser({ email: 'inactive@clinic.test', password: PASSWORD, active: false });
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: ['http://127.0.0.1:4/callback'] });
    rp = await relyingParty(server, 'charting');
  });

  after(() => server.close());

  async function openLogin(browser = new Browser()): Promise<{ browser: Browser; page: Page }> {
    const start = await startAuthorization(rp);
    const page = await browser.follow(await browser.get(start.url.href));
    expect(page.status).to.equal(200);
    return { browser, page };
  }

  /** The page with everything that legitimately differs per request (tokens, ids) blanked. */
  const normalise = (html: string) => html
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="…"')
    .replace(/\/interaction\/[A-Za-z0-9_-]+\//g, '/interaction/…/')
    .replace(/value="[^"]*@clinic\.test"/g, 'value="…"');

  it('renders an accessible form: lang, labels, autocomplete, viewport, focus', async () => {
    const { page } = await openLogin();
    expect(page.html).to.include('<html lang="en">');
    expect(page.html).to.include('name="viewport"');
    expect(page.html).to.match(/<label for="email">/).and.match(/<label for="password">/);
    expect(page.html).to.match(/id="email"[^>]*autocomplete="username"/);
    expect(page.html).to.match(/id="password"[^>]*autocomplete="current-password"/);
    expect(page.html).to.match(/id="email"[^>]*autofocus/);
  });

  it('answers wrong password, unknown user and inactive user identically', async () => {
    const attempts = [
      ['active@clinic.test', 'not the password at all'],
      ['nobody@clinic.test', PASSWORD],
      ['inactive@clinic.test', PASSWORD],
    ] as const;
    const pages = [];
    for (const [email, password] of attempts) {
      const { browser, page } = await openLogin();
      pages.push(await submitLogin(browser, page, email, password));
    }
    for (const page of pages) {
      expect(page.status).to.equal(401);
      expect(page.html).to.include('The email or password is not correct.');
      expect(page.html).to.match(/id="login-error"[^>]*role="alert"/);
      expect(page.html).to.match(/id="password"[^>]*aria-describedby="login-error"/);
      expect(normalise(page.html)).to.equal(normalise(pages[0]!.html));
    }
  });

  it('refuses a POST without a CSRF token, or with a wrong one, and signs in with the right one', async () => {
    const { browser, page } = await openLogin();
    const action = formAction(page, '/login');
    const missing = await browser.post(action, { email: 'active@clinic.test', password: PASSWORD });
    expect(missing.status).to.equal(403);
    expect(missing.html).to.include('This form has expired');
    const token = field(page.html, '_csrf');
    const forged = await browser.post(action, { _csrf: `${token.split('.')[0]}.AAAA`, email: 'active@clinic.test', password: PASSWORD });
    expect(forged.status).to.equal(403);

    // A valid token from another browser (another cookie) is refused too.
    const other = await openLogin();
    const crossed = await browser.post(action, { _csrf: field(other.page.html, '_csrf'), email: 'active@clinic.test', password: PASSWORD });
    expect(crossed.status).to.equal(403);

    const ok = await submitLogin(browser, page, 'active@clinic.test', PASSWORD);
    const callback = await untilCallback(browser, rp, ok);
    expect(callback.searchParams.get('code')).to.be.a('string');
  });

  it('answers JSON errors to API callers and never shows a stack trace', async () => {
    const res = await fetch(server.url('/interaction/unknown-uid'), { headers: { accept: 'application/json' } });
    expect(res.status).to.equal(400);
    expect(await res.json()).to.deep.equal({
      error: 'interaction_expired',
      error_description: 'This sign-in page has expired or was already used. Please go back to your application and sign in again.',
    });
  });

  it('cancel returns access_denied to the app', async () => {
    const { browser, page } = await openLogin();
    const cancelled = await browser.post(formAction(page, '/abort'), { _csrf: field(page.html, '_csrf') });
    const callback = await untilCallback(browser, rp, cancelled);
    expect(callback.searchParams.get('error')).to.equal('access_denied');
  });

  it('upgrades a hash made with weaker parameters on the next sign-in', async () => {
    const weak = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 12_288, timeCost: 3, parallelism: 1 });
    const user = await server.createUser({ email: 'legacy@clinic.test' });
    await server.models.User.updateOne({ _id: user._id }, { $set: { passwordHash: weak } });
    const { browser, page } = await openLogin();
    await untilCallback(browser, rp, await submitLogin(browser, page, 'legacy@clinic.test', PASSWORD));
    const stored = (await server.models.User.findById(user._id).lean())!.passwordHash!;
    expect(stored).to.not.equal(weak);
    expect(stored).to.match(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await argon2.verify(stored, PASSWORD)).to.equal(true);
  });
});
