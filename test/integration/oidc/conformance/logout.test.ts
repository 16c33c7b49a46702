// The suite's RP-initiated logout and back-channel logout plans (openid-client builds the
// end-session URLs; the module's back-channel endpoint verifies logout tokens with jose).
import { expect } from 'chai';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { Browser, field } from '../../../helpers/browser.js';
import { signIn } from '../../../helpers/rp.js';
import { conformanceProvider, logoutTokens, PASSWORD, SIGNED_OUT_URI } from './fixture.js';

describe('conformance: RP-initiated and back-channel logout plans', () => {
  const suite = conformanceProvider();

  async function signedIn() {
    const browser = new Browser();
    const { tokens } = await signIn(browser, suite.module, suite.email, PASSWORD);
    return { browser, idToken: tokens.id_token!, sid: tokens.claims()!.sid };
  }

  /** Ends the session: at once with a valid id_token_hint (src/sessions/sign-out.ts), else after "Sign out". */
  async function confirm(browser: Browser, url: string) {
    const page = await browser.get(url);
    if (page.location) return page;
    expect(page.status).to.equal(200);
    return browser.post(suite.server.url('/session/end/confirm'), { xsrf: field(page.html, 'xsrf'), logout: 'yes' });
  }

  const sessionGone = async (browser: Browser) => {
    const start = oidc.buildAuthorizationUrl(suite.module.config, { redirect_uri: suite.module.redirectUri, scope: 'openid', prompt: 'none', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    return new URL((await browser.get(start.href)).location!).searchParams.get('error') === 'login_required';
  };

  it('oidcc-rp-initiated-logout: back to the registered URI with state, session ended', async () => {
    const { browser, idToken } = await signedIn();
    const done = await confirm(browser, oidc.buildEndSessionUrl(suite.module.config, { id_token_hint: idToken, post_logout_redirect_uri: SIGNED_OUT_URI, state: 'st8' }).href);
    expect(done.location).to.equal(`${SIGNED_OUT_URI}?state=st8`);
    expect(await sessionGone(browser)).to.equal(true);
  });

  it('oidcc-rp-initiated-logout (POST): the end-session request as a form POST', async () => {
    const { browser, idToken } = await signedIn();
    const posted = await browser.post(suite.server.url('/session/end'), { id_token_hint: idToken, post_logout_redirect_uri: SIGNED_OUT_URI, state: 'p1' });
    expect(posted.status).to.equal(303);
    const done = await confirm(browser, posted.location!);
    expect(done.location).to.equal(`${SIGNED_OUT_URI}?state=p1`);
  });

  it('oidcc-rp-initiated-logout-bad-post-logout-redirect-uri: an error page, no redirect', async () => {
    const { browser, idToken } = await signedIn();
    const page = await browser.get(oidc.buildEndSessionUrl(suite.module.config, { id_token_hint: idToken, post_logout_redirect_uri: 'https://evil.example/' }).href);
    expect(page.status).to.equal(400);
    expect(page.location).to.equal(null);
  });

  it('oidcc-rp-initiated-logout-modified-id-token-hint: a tampered hint is refused', async () => {
    const { browser, idToken } = await signedIn();
    const [header, payload, signature] = idToken.split('.');
    const tampered = `${header}.${payload}.${signature!.slice(0, -4)}AAAA`;
    const page = await browser.get(oidc.buildEndSessionUrl(suite.module.config, { id_token_hint: tampered, post_logout_redirect_uri: SIGNED_OUT_URI }).href);
    expect(page.status).to.equal(400);
    expect(page.location).to.equal(null);
  });

  it('oidcc-rp-initiated-logout-no-id-token-hint: client_id with post_logout_redirect_uri', async () => {
    const { browser } = await signedIn();
    const url = new URL(suite.module.config.serverMetadata().end_session_endpoint!);
    url.search = new URLSearchParams({ client_id: 'module', post_logout_redirect_uri: SIGNED_OUT_URI, state: 'n1' }).toString();
    const done = await confirm(browser, url.href);
    expect(done.location).to.equal(`${SIGNED_OUT_URI}?state=n1`);
  });

  it('oidcc-rp-initiated-logout-no-params: our confirmation, then our signed-out page', async () => {
    const { browser } = await signedIn();
    const done = await browser.follow(await confirm(browser, suite.server.url('/session/end')));
    expect(done.html).to.include('You are signed out');
    expect(await sessionGone(browser)).to.equal(true);
  });

  it('oidcc-backchannel-rp-initiated-logout: a logout token with iss, aud, sid, events, no nonce, typ logout+jwt', async () => {
    const { browser, idToken, sid } = await signedIn();
    logoutTokens.length = 0;
    await confirm(browser, oidc.buildEndSessionUrl(suite.module.config, { id_token_hint: idToken }).href);
    expect(logoutTokens).to.have.length(1);
    const jwks = createRemoteJWKSet(new URL(suite.module.config.serverMetadata().jwks_uri!));
    const { payload } = await jwtVerify(logoutTokens[0]!, jwks, { issuer: suite.server.issuer, audience: 'module', typ: 'logout+jwt', maxTokenAge: '2 minutes' });
    expect(payload).to.include({ sid, sub: suite.sub });
    expect(payload.events).to.deep.equal({ 'http://schemas.openid.net/event/backchannel-logout': {} });
    expect(payload).to.not.have.property('nonce');
    expect(payload.jti).to.be.a('string');
  });
});
