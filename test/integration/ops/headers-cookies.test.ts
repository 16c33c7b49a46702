// On a real HTTPS server: every cookie we and the provider set on a whole sign-in (password, code,
// tokens, the account console, form_post, logout) is HttpOnly, SameSite and Secure; every page
// (ours and the provider's) carries the strict CSP, and the form_post page may run exactly its own
// inline script and nothing else.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { createClient } from '../../../src/oidc/clients.js';
import { CONTENT_SECURITY_POLICY } from '../../../src/http/render.js';
import { Browser, field } from '../../helpers/browser.js';
import { startMailCatcher, type MailCatcher } from '../../helpers/mail-catcher.js';
import { finishAt, isCodePage, passwordStep, submitCode } from '../../helpers/mfa.js';
import { submitLogin, type RelyingParty } from '../../helpers/rp.js';
import { startHttpsServer, withTrustingFetch, type HttpsServer } from './https-bench.js';

const PASSWORD = 'A long harbor passphrase 7';
const REDIRECT = 'http://127.0.0.1:4/callback';
const POLICY = CONTENT_SECURITY_POLICY;

describe('ops: security headers and cookie flags over HTTPS', () => {
  let mail: MailCatcher;
  let server: HttpsServer;
  const setCookies: { url: string; header: string }[] = [];
  const headersByUrl = new Map<string, Headers>();

  before(async () => {
    mail = await startMailCatcher();
    server = await startHttpsServer(mail.env());
    await createClient(server.idp.models, { clientId: 'charting', name: 'Charting', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT], postLogoutRedirectUris: ['http://127.0.0.1:4/signed-out'] });
  });
  after(async () => {
    await server.close();
    await mail.stop();
  });

  const trusting = <T>(body: () => Promise<T>) => withTrustingFetch(server.certificate.cert, server.url('/healthz'), (url, response) => {
    headersByUrl.set(url, response.headers);
    for (const header of response.headers.getSetCookie()) setCookies.push({ url, header });
  }, body);

  it('a whole sign-in: every page has the CSP, every cookie is HttpOnly, SameSite and Secure', async () => {
    await trusting(async () => {
      const practice = await server.idp.accounts.createPractice({ name: 'TLS Practice', mfaPolicy: 'always' });
      const user = await server.idp.accounts.createUser({ practiceId: practice._id, email: 'tls@clinic.test', name: 'Dr TLS', role: 'admin', emailVerified: true, password: PASSWORD });
      const config = await oidc.discovery(new URL(server.issuer), 'charting', { redirect_uris: [REDIRECT] }, oidc.None());
      const rp: RelyingParty = { clientId: 'charting', config, redirectUri: REDIRECT };
      const browser = new Browser();

      const attempt = await passwordStep(browser, rp, user.email, PASSWORD);
      expect(isCodePage(attempt.page), 'code page').to.equal(true);
      const { code } = await mail.nextTo(user.email);
      const claims = await finishAt(browser, attempt, rp, await submitCode(browser, attempt.page, code!));
      expect(claims.sub).to.equal(user.sub);

      // The account console from a fresh browser (its return cookie, set then cleared), a provider
      // error page, our 404 page.
      const consoleBrowser = new Browser();
      const consoleLogin = await consoleBrowser.follow(await consoleBrowser.get(server.url('/account')));
      const consoleCode = await consoleBrowser.follow(await submitLogin(consoleBrowser, consoleLogin, user.email, PASSWORD));
      expect(isCodePage(consoleCode), 'console code page').to.equal(true);
      const account = await consoleBrowser.follow(await submitCode(consoleBrowser, consoleCode, (await mail.nextTo(user.email)).code!));
      expect(account.status).to.equal(200);
      expect(account.url).to.equal(server.url('/account'));
      const providerError = await browser.get(server.url('/auth?client_id=nobody&response_type=code&scope=openid'));
      expect(providerError.status).to.equal(400);
      const notFound = await browser.get(server.url('/no-such-page'));
      expect(notFound.status).to.equal(404);

      // form_post: the provider's auto-submitting page is allowed its one script, by hash.
      const start = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT, scope: 'openid', response_mode: 'form_post',
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
      });
      const formPost = await browser.follow(await browser.get(start.href));
      expect(formPost.html).to.include(`action="${REDIRECT}"`);
      const script = /<script>([\s\S]*?)<\/script>/.exec(formPost.html)![1]!;
      const formPostPolicy = headersByUrl.get(formPost.url)!.get('content-security-policy')!;
      expect(formPostPolicy).to.include(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
      expect(formPostPolicy).to.include("frame-ancestors 'none'").and.not.include("'unsafe-inline'");
      expect(formPostPolicy.match(/script-src [^;]*/)![0].split(' ')).to.have.length(2);

      // Logout: the provider's form inside our page, no script.
      const confirm = await browser.get(server.url('/session/end'));
      expect(confirm.html).to.include('form="op.logoutForm"');
      const done = await browser.follow(await browser.post(server.url('/session/end/confirm'), { xsrf: field(confirm.html, 'xsrf'), logout: 'yes' }));
      expect(done.status).to.equal(200);

      for (const page of [attempt.page, account, providerError, notFound, confirm, done]) {
        const headers = headersByUrl.get(page.url)!;
        expect(headers.get('content-security-policy'), page.url).to.equal(POLICY);
        expect(headers.get('x-frame-options'), page.url).to.equal('DENY');
        expect(headers.get('referrer-policy'), page.url).to.equal('no-referrer');
        expect(headers.get('x-content-type-options'), page.url).to.equal('nosniff');
        expect(page.html, page.url).not.to.match(/<script/i);
      }
    });

    const names = new Set(setCookies.map(({ header }) => header.split('=')[0]));
    for (const expected of ['_interaction', '_interaction_resume', '_session', 'idp.csrf', 'idp.device']) {
      expect([...names], 'cookies seen').to.include(expected);
    }
    const flawed = setCookies.filter(({ header }) => !(/;\s*httponly/i.test(header) && /;\s*samesite=(lax|strict)/i.test(header) && /;\s*secure/i.test(header)));
    expect(flawed.map(({ url, header }) => `${new URL(url).pathname}: ${header.replace(/=[^;]*/, '=…')}`)).to.deep.equal([]);
  });

  it('every response carries the headers, JSON and redirects included', async () => {
    await trusting(async () => {
      for (const path of ['/.well-known/openid-configuration', '/jwks', '/readyz', '/static/site.css', '/auth']) {
        const response = await fetch(server.url(path), { redirect: 'manual' });
        expect(response.headers.get('content-security-policy'), path).to.equal(POLICY);
        expect(response.headers.get('x-content-type-options'), path).to.equal('nosniff');
        expect(response.headers.get('referrer-policy'), path).to.equal('no-referrer');
      }
    });
  });
});
