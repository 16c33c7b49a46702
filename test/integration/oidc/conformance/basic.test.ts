// The OpenID Foundation conformance suite's basic plan (oidcc-basic-certification-test-plan), one
// test per module that applies, named after it, driven by openid-client (the checks of docs/
// oidc-conformance.md that do not apply say why there). oauth4webapi drives the same flows in
// oauth4webapi.test.ts.
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { Browser } from '../../../helpers/browser.js';
import { exchange, REDIRECT_URI, startAuthorization, untilCallback } from '../../../helpers/rp.js';
import { authorizeInBrowser, conformanceProvider, PASSWORD } from './fixture.js';

describe('conformance: basic plan (openid-client)', () => {
  const suite = conformanceProvider();

  /** A full sign-in of the first-party module with extra authorization parameters. */
  async function signIn(params: Record<string, string> = {}, browser = new Browser()) {
    const start = await startAuthorization(suite.module, params);
    const page = await authorizeInBrowser(browser, start.url.href, suite.email);
    const callback = new URL(page.location ?? page.url);
    return { start, callback, browser, tokens: () => exchange(suite.module, start, callback) };
  }

  it('oidcc-server: code flow, validated ID token, userinfo', async () => {
    const { tokens } = await signIn();
    const result = await tokens();
    expect(result.claims()).to.include({ iss: suite.server.issuer, aud: 'module', sub: suite.sub });
    const userinfo = await oidc.fetchUserInfo(suite.module.config, result.access_token, suite.sub);
    expect(userinfo.email).to.equal(suite.email);
  });

  it('oidcc-response-type-missing: an error goes back to the app', async () => {
    const url = new URL(suite.server.url('/auth'));
    url.search = new URLSearchParams({ client_id: 'module', redirect_uri: REDIRECT_URI, scope: 'openid', state: 's1' }).toString();
    const page = await new Browser().get(url.href);
    const callback = new URL(page.location!);
    expect(callback.searchParams.get('error')).to.equal('invalid_request');
    expect(callback.searchParams.get('state')).to.equal('s1');
  });

  it('oidcc-ensure-redirect-uri-in-authorization-request: refused without redirect_uri, even with one registered', async () => {
    const url = new URL(suite.server.url('/auth'));
    url.search = new URLSearchParams({
      client_id: 'module', response_type: 'code', scope: 'openid', state: 's2',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
    }).toString();
    const page = await new Browser().get(url.href);
    expect(page.location, 'no redirect to the registered URI').to.equal(null);
    expect(page.status).to.equal(400);
    expect(page.html).to.include('redirect_uri');
  });

  it('oidcc-ensure-registered-redirect-uri: an unregistered redirect_uri gets an error page, not a redirect', async () => {
    const start = await startAuthorization(suite.module, { redirect_uri: 'http://127.0.0.1:4/elsewhere' });
    const page = await new Browser().get(start.url.href);
    expect(page.location).to.equal(null);
    expect(page.status).to.equal(400);
  });

  it('oidcc-ensure-post-request-succeeds: the authorization request as a form POST', async () => {
    const start = await startAuthorization(suite.module);
    const browser = new Browser();
    const posted = await browser.post(suite.server.url('/auth'), Object.fromEntries(start.url.searchParams));
    expect(posted.status).to.equal(303);
    expect(posted.location!.startsWith(`${suite.server.issuer}/auth?`)).to.equal(true);
    const page = await authorizeInBrowser(browser, posted.location!, suite.email);
    const result = await exchange(suite.module, start, new URL(page.location!));
    expect(result.claims()?.sub).to.equal(suite.sub);
  });

  it('oidcc-ensure-request-without-nonce-succeeds-for-code-flow', async () => {
    const start = await startAuthorization(suite.module);
    start.url.searchParams.delete('nonce');
    const page = await authorizeInBrowser(new Browser(), start.url.href, suite.email);
    const result = await oidc.authorizationCodeGrant(suite.module.config, new URL(page.location!), { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: undefined });
    expect(result.claims()).to.not.have.property('nonce');
  });

  it('oidcc-ensure-request-with-unknown-parameter-succeeds', async () => {
    const { tokens } = await signIn({ extra_param_from_suite: 'ignored' });
    expect((await tokens()).claims()?.sub).to.equal(suite.sub);
  });

  it('oidcc-ensure-other-scope-order-succeeds', async () => {
    const { tokens } = await signIn({ scope: 'email openid' });
    expect((await tokens()).scope?.split(' ').sort()).to.deep.equal(['email', 'openid']);
  });

  it('oidcc-scope-profile, oidcc-scope-email: the claims come with the scope', async () => {
    const { tokens } = await signIn({ scope: 'openid profile email' });
    const result = await tokens();
    const userinfo = await oidc.fetchUserInfo(suite.module.config, result.access_token, suite.sub);
    expect(userinfo).to.include({ name: 'Ines Suite', email: suite.email, email_verified: true });
  });

  it('oidcc-prompt-login: a new password is asked although a session exists', async () => {
    const first = await signIn();
    await first.tokens();
    const start = await startAuthorization(suite.module, { prompt: 'login' });
    const page = await first.browser.follow(await first.browser.get(start.url.href));
    expect(page.html).to.include('autocomplete="current-password"');
  });

  it('oidcc-prompt-none-not-logged-in: login_required goes back to the app', async () => {
    const start = await startAuthorization(suite.module, { prompt: 'none' });
    const callback = await untilCallback(new Browser(), suite.module, await new Browser().get(start.url.href));
    expect(callback.searchParams.get('error')).to.equal('login_required');
  });

  it('oidcc-prompt-none-logged-in: a code without any page', async () => {
    const first = await signIn();
    await first.tokens();
    const start = await startAuthorization(suite.module, { prompt: 'none' });
    const callback = await untilCallback(first.browser, suite.module, await first.browser.get(start.url.href));
    expect((await exchange(suite.module, start, callback)).claims()?.sub).to.equal(suite.sub);
  });

  it('oidcc-max-age-10000: auth_time is returned and the session reused', async () => {
    const first = await signIn();
    await first.tokens();
    const start = await startAuthorization(suite.module, { max_age: '10000' });
    const callback = await untilCallback(first.browser, suite.module, await first.browser.get(start.url.href));
    const result = await oidc.authorizationCodeGrant(suite.module.config, callback, { pkceCodeVerifier: start.verifier, expectedNonce: start.nonce, expectedState: start.state, maxAge: 10000 });
    expect(result.claims()?.auth_time).to.be.a('number');
  });

  it('oidcc-id-token-hint: a hint for the signed-in user gets a code silently', async () => {
    const first = await signIn();
    const idToken = (await first.tokens()).id_token!;
    const start = await startAuthorization(suite.module, { prompt: 'none', id_token_hint: idToken });
    const callback = await untilCallback(first.browser, suite.module, await first.browser.get(start.url.href));
    expect(callback.searchParams.get('code')).to.be.a('string');
  });

  it('oidcc-login-hint: the sign-in page starts with the hinted address', async () => {
    const start = await startAuthorization(suite.module, { login_hint: suite.email });
    const browser = new Browser();
    const page = await browser.follow(await browser.get(start.url.href));
    expect(page.html).to.match(new RegExp(`name="email"[^>]*value="${suite.email.replace(/[.]/g, '\\.')}"|value="${suite.email.replace(/[.]/g, '\\.')}"[^>]*name="email"`));
  });

  it('oidcc-codereuse: a second redemption fails', async () => {
    const { tokens, start, callback } = await signIn();
    await tokens();
    const again = await exchange(suite.module, start, callback).then(() => null, (err: unknown) => err);
    expect(again).to.be.instanceOf(oidc.ResponseBodyError).and.have.property('error', 'invalid_grant');
  });

  it('oidcc-server-client-secret-post: a client registered for client_secret_post', async () => {
    const start = await startAuthorization(suite.poster);
    const page = await authorizeInBrowser(new Browser(), start.url.href, suite.email);
    const result = await exchange(suite.poster, start, new URL(page.location!));
    expect(result.claims()?.aud).to.equal('poster');
  });

  it('oidcc-ensure-request-with-acr-values-succeeds', async () => {
    const { tokens } = await signIn({ acr_values: 'urn:ehr-idp:acr:pwd' });
    expect((await tokens()).claims()?.acr).to.equal('urn:ehr-idp:acr:pwd');
  });

  it('oidcc-claims-essential: an essential claim request is honoured', async () => {
    const { tokens } = await signIn({ claims: JSON.stringify({ userinfo: { email: { essential: true } } }) });
    const result = await tokens();
    const userinfo = await oidc.fetchUserInfo(suite.module.config, result.access_token, suite.sub);
    expect(userinfo.email).to.equal(suite.email);
  });

  it('oidcc-refresh-token: first-party offline_access without prompt=consent; the refreshed ID token has no nonce', async () => {
    const { tokens, start } = await signIn({ scope: 'openid offline_access' });
    const result = await tokens();
    expect(result.refresh_token, 'first-party modules get refresh tokens').to.be.a('string');
    expect(result.claims()?.nonce).to.equal(start.nonce);
    const refreshed = await oidc.refreshTokenGrant(suite.module.config, result.refresh_token!);
    const claims = decodeJwt(refreshed.id_token!);
    expect(claims.sub).to.equal(suite.sub);
    expect(claims, 'OIDC Core §12.2').to.not.have.property('nonce');
  });

  it('oidcc-refresh-token (third party): a refresh token after the user consented to "Stay connected"', async () => {
    const start = await startAuthorization(suite.vendor, { scope: 'openid offline_access' });
    const browser = new Browser();
    let page = await browser.follow(await browser.get(start.url.href), REDIRECT_URI);
    const { submitLogin } = await import('../../../helpers/rp.js');
    page = await browser.follow(await submitLogin(browser, page, suite.email, PASSWORD), REDIRECT_URI);
    expect(page.html, 'the consent screen names it').to.include('Stay connected');
    page = await authorizeInBrowser(browser, page.url, suite.email);
    const result = await exchange(suite.vendor, start, new URL(page.location!));
    expect(result.refresh_token).to.be.a('string');
  });
});
