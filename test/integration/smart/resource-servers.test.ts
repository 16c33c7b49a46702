// SMART resource servers: `aud` must name a registered FHIR server; the access token for it is a
// JWT (RFC 9068) a FHIR server checks with our JWKS, or by introspection with its own credentials.
import { expect } from 'chai';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { hashClientSecret } from '../../../src/oidc/clients.js';
import { addResourceServer } from '../../../src/smart/resource-servers.js';
import { Browser } from '../../helpers/browser.js';
import { relyingParty, signIn, startAuthorization, submitLogin, untilCallback, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const PASSWORD = 'Correct horse, battery 9 staples';
const FHIR = 'https://fhir.example.org/r4';
const OTHER_FHIR = 'https://other-fhir.example.org/r4';

describe('smart: resource servers and JWT access tokens', () => {
  let server: TestServer;
  let app: RelyingParty;
  let appSecret: string;
  let email: string;
  let sub: string;
  let fhirSecret: string;
  let otherSecret: string;

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const introspect = async (token: string, authorization: string) => {
    const res = await fetch(server.url('/token/introspection'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization },
      body: new URLSearchParams({ token }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** Authorization request through the login page; the app's callback URL (code or error). */
  const authorize = async (params: Record<string, string>) => {
    const browser = new Browser();
    const start = await startAuthorization(app, params);
    const first = await browser.follow(await browser.get(start.url.href), app.redirectUri);
    if (first.location?.startsWith(app.redirectUri)) return new URL(first.location);
    return untilCallback(browser, app, await submitLogin(browser, first, email, PASSWORD));
  };

  before(async () => {
    server = await startServer();
    const user = await server.createUser({ password: PASSWORD });
    email = user.email;
    sub = user.sub;
    await server.models.User.updateOne({ sub }, { $set: { fhirUser: 'Practitioner/123' } });
    fhirSecret = (await addResourceServer({ models: server.models, hashSecret: hashClientSecret }, { id: 'ehr-fhir', name: 'EHR FHIR', baseUrl: `${FHIR}/` })).secret;
    otherSecret = (await addResourceServer({ models: server.models, hashSecret: hashClientSecret }, { id: 'other-fhir', name: 'Other FHIR', baseUrl: OTHER_FHIR })).secret;
    appSecret = (await server.createClient({
      clientId: 'growth-chart', firstParty: true, redirectUris: ['http://127.0.0.1:4/callback'],
      smartScopes: ['user/Observation.rs', 'patient/*.r'],
    })).clientSecret!;
    app = await relyingParty(server, 'growth-chart', appSecret);
  });

  after(() => server.close());

  it('issues an at+jwt access token for the FHIR server named in aud, which verifies it with the JWKS and introspects it', async () => {
    const { tokens } = await signIn(new Browser(), app, email, PASSWORD, { scope: 'openid fhirUser user/Observation.read', aud: FHIR });
    const accessToken = tokens.access_token;
    expect(decodeProtectedHeader(accessToken).typ).to.equal('at+jwt');
    const { payload } = await jwtVerify(accessToken, createRemoteJWKSet(new URL(server.url('/jwks'))), { issuer: server.issuer, audience: FHIR, typ: 'at+jwt' });
    // v1 `.read` is granted as v2 `.rs`.
    expect(payload).to.include({ aud: FHIR, sub, client_id: 'growth-chart', scope: 'user/Observation.rs', fhirUser: `${FHIR}/Practitioner/123` });
    expect(tokens.claims()).to.include({ fhirUser: `${FHIR}/Practitioner/123` });

    const byServer = await introspect(accessToken, basic('ehr-fhir', fhirSecret));
    expect(byServer.status).to.equal(200);
    expect(byServer.body).to.include({ active: true, aud: FHIR, sub, client_id: 'growth-chart', scope: 'user/Observation.rs' });
    // Another registered FHIR server learns nothing about a token that is not for it.
    expect((await introspect(accessToken, basic('other-fhir', otherSecret))).body).to.deep.equal({ active: false });
    // A wrong secret is a client authentication failure.
    expect((await introspect(accessToken, basic('ehr-fhir', otherSecret))).status).to.equal(401);
    // An opaque token (the provider's own kind) is never one for a FHIR server.
    const { tokens: plain } = await signIn(new Browser(), app, email, PASSWORD, { scope: 'openid' });
    expect((await introspect(plain.access_token, basic('ehr-fhir', fhirSecret))).body).to.deep.equal({ active: false });
    expect((await introspect(plain.access_token, basic('growth-chart', appSecret))).body).to.include({ active: true });
    // The app itself cannot introspect it (the provider answers for JWTs: not introspectable).
    expect((await introspect(accessToken, basic('growth-chart', appSecret))).body).to.not.have.property('active', true);
  });

  it('refuses an aud that is not a registered FHIR server: an OAuth error to the app, no code', async () => {
    const callback = await authorize({ scope: 'openid user/Observation.rs', aud: 'https://evil.example.org/fhir' });
    expect(callback.searchParams.get('error')).to.equal('invalid_target');
    expect(callback.searchParams.get('error_description')).to.match(/not a FHIR server registered/);
    expect(callback.searchParams.has('code')).to.equal(false);
  });

  it('refuses SMART scopes without aud, and scopes the client is not registered for', async () => {
    const noAud = await authorize({ scope: 'openid user/Observation.rs' });
    expect(noAud.searchParams.get('error')).to.equal('invalid_request');
    expect(noAud.searchParams.get('error_description')).to.match(/aud/);
    const notAllowed = await authorize({ scope: 'openid user/Observation.cruds', aud: FHIR });
    expect(notAllowed.searchParams.get('error')).to.equal('invalid_scope');
    expect(notAllowed.searchParams.has('code')).to.equal(false);
    const system = await authorize({ scope: 'openid system/Observation.rs', aud: FHIR });
    expect(system.searchParams.get('error')).to.equal('invalid_scope');
  });

  it('a removed FHIR server is refused as aud from then on', async () => {
    await addResourceServer({ models: server.models, hashSecret: hashClientSecret }, { id: 'retired-fhir', name: 'Retired', baseUrl: 'https://retired.example.org/fhir' });
    await server.models.Client.deleteOne({ _id: 'retired-fhir' });
    const callback = await authorize({ scope: 'openid patient/Patient.r', aud: 'https://retired.example.org/fhir' });
    expect(callback.searchParams.get('error')).to.equal('invalid_target');
  });
});
