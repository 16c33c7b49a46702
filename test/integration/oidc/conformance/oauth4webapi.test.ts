// The basic and form_post plans' core checks again, with a second, independent relying-party
// library: oauth4webapi (panva's low-level client, which checks every response strictly).
import { expect } from 'chai';
import * as oauth from 'oauth4webapi';
import { Browser, type Page } from '../../../helpers/browser.js';
import { REDIRECT_URI } from '../../../helpers/rp.js';
import { authorizeInBrowser, conformanceProvider } from './fixture.js';

const insecure = { [oauth.allowInsecureRequests]: true };

/** The fields of the auto-submitting form a form_post response renders. */
function formPostFields(page: Page): URLSearchParams {
  expect(page.html).to.match(new RegExp(`<form[^>]*method="post"[^>]*action="${REDIRECT_URI}"`));
  const fields = new URLSearchParams();
  for (const [, name, value] of page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields.set(name!, value!.replace(/&amp;/g, '&'));
  return fields;
}

describe('conformance: basic and form_post plans (oauth4webapi)', () => {
  const suite = conformanceProvider();
  let as: oauth.AuthorizationServer;
  const client: oauth.Client = { client_id: 'poster' };

  before(async () => {
    const issuer = new URL(suite.server.issuer);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  });

  async function authorizationUrl(params: Record<string, string> = {}) {
    const verifier = oauth.generateRandomCodeVerifier();
    const nonce = oauth.generateRandomNonce();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: client.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid email',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', nonce, state, ...params,
    }).toString();
    return { url, verifier, nonce, state };
  }

  async function redeem(callback: URLSearchParams, start: { verifier: string; nonce: string; state: string }) {
    const params = oauth.validateAuthResponse(as, client, callback, start.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretPost(suite.poster.secret), params, REDIRECT_URI, start.verifier, insecure);
    return oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: start.nonce, requireIdToken: true });
  }

  it('oidcc-server-client-secret-post: code flow, ID token, userinfo', async () => {
    const start = await authorizationUrl();
    const page = await authorizeInBrowser(new Browser(), start.url.href, suite.email);
    const result = await redeem(new URL(page.location!).searchParams, start);
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    expect(claims.sub).to.equal(suite.sub);
    const userinfo = await oauth.processUserInfoResponse(as, client, suite.sub, await oauth.userInfoRequest(as, client, result.access_token, insecure));
    expect(userinfo.email).to.equal(suite.email);
  });

  it('oidcc-form-post-server (form_post plan): the code arrives in an auto-submitted form', async () => {
    const start = await authorizationUrl({ response_mode: 'form_post' });
    const page = await authorizeInBrowser(new Browser(), start.url.href, suite.email);
    expect(page.status).to.equal(200);
    const result = await redeem(formPostFields(page), start);
    expect(oauth.getValidatedIdTokenClaims(result)!.sub).to.equal(suite.sub);
  });

  it('oidcc-form-post-error (form_post plan): an error arrives in the form too', async () => {
    const start = await authorizationUrl({ response_mode: 'form_post', prompt: 'none' });
    const page = await new Browser().get(start.url.href);
    const fields = formPostFields(page);
    expect(fields.get('error')).to.equal('login_required');
    expect(fields.get('state')).to.equal(start.state);
  });

  it('oidcc-ensure-post-request-succeeds: the authorization request POSTed', async () => {
    const start = await authorizationUrl();
    const browser = new Browser();
    const posted = await browser.post(as.authorization_endpoint!, Object.fromEntries(start.url.searchParams));
    const page = await authorizeInBrowser(browser, posted.location!, suite.email);
    expect(oauth.getValidatedIdTokenClaims(await redeem(new URL(page.location!).searchParams, start))!.sub).to.equal(suite.sub);
  });

  it('oidcc-refresh-token: a third-party app with prompt=consent; refreshed ID token without nonce; introspection and revocation', async () => {
    const start = await authorizationUrl({ scope: 'openid offline_access', prompt: 'consent' });
    const page = await authorizeInBrowser(new Browser(), start.url.href, suite.email);
    const result = await redeem(new URL(page.location!).searchParams, start);
    expect(result.refresh_token).to.be.a('string');
    const auth = oauth.ClientSecretPost(suite.poster.secret);
    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, result.refresh_token!, insecure));
    expect(oauth.getValidatedIdTokenClaims(refreshed)).to.not.have.property('nonce');
    const active = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, refreshed.access_token, insecure));
    expect(active.active).to.equal(true);
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, refreshed.access_token, insecure));
    const revoked = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, refreshed.access_token, insecure));
    expect(revoked.active).to.equal(false);
  });
});
