// Sign-in with code + PKCE as a real relying party: discovery, ID token, userinfo, refresh
// rotation, SSO into a second module.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { ACR_PASSWORD } from '../../../src/mfa/risk/acr.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { Browser } from '../../helpers/browser.js';
import { relyingParty, signIn, silentSignIn, type RelyingParty } from '../../helpers/rp.js';

const PASSWORD = 'Correct horse, battery 9 staples';

describe('oidc: authorization code flow', () => {
  let server: TestServer;
  let charting: RelyingParty;
  let billing: RelyingParty;
  let email: string;
  let sub: string;

  before(async () => {
    server = await startServer();
    const practice = await server.createPractice({ name: 'Riverside Family Clinic' });
    const user = await server.createUser({ practiceId: practice._id, email: 'Dr.Ada@Clinic.test', name: 'Ada Lovelace', role: 'clinician', password: PASSWORD });
    email = user.email;
    sub = user.sub;
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: ['http://127.0.0.1:4/callback'] });
    await server.createClient({ clientId: 'billing', authMethod: 'none', firstParty: true, redirectUris: ['http://127.0.0.1:4/callback'] });
    charting = await relyingParty(server, 'charting');
    billing = await relyingParty(server, 'billing');
  });

  after(() => server.close());

  it('publishes discovery metadata with our acr values, S256 PKCE and the enabled endpoints', () => {
    const metadata = charting.config.serverMetadata();
    expect(metadata.issuer).to.equal(server.issuer);
    expect(metadata.acr_values_supported).to.deep.equal([
      'urn:ehr-idp:acr:pwd', 'urn:ehr-idp:acr:mfa', 'urn:ehr-idp:acr:phr', 'https://refeds.org/profile/mfa', 'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
    ]);
    expect(metadata.code_challenge_methods_supported).to.deep.equal(['S256']);
    // `none` serves only the built-in console client (src/console/client.ts); modules are registered for `code`.
    expect(metadata.response_types_supported).to.deep.equal(['code', 'none']);
    expect(metadata).to.include.keys('jwks_uri', 'userinfo_endpoint', 'revocation_endpoint', 'introspection_endpoint', 'end_session_endpoint');
    expect(metadata.backchannel_logout_supported).to.equal(true);
  });

  it('signs in with a password and returns a validated ID token carrying acr, amr and auth_time', async () => {
    const browser = new Browser();
    // auth_time comes from the app's clock (the test store's, set when the server started), not
    // from the wall clock at this line: under load the two are seconds apart.
    const before = Math.floor(server.clock.now() / 1000) - 1;
    const { tokens } = await signIn(browser, charting, 'dr.ada@clinic.test', PASSWORD);
    const claims = tokens.claims()!;
    expect(claims.iss).to.equal(server.issuer);
    expect(claims.aud).to.equal('charting');
    expect(claims.sub).to.equal(sub);
    expect(claims.acr).to.equal(ACR_PASSWORD);
    expect(claims.amr).to.deep.equal(['pwd']);
    expect(claims.auth_time).to.be.a('number').within(before, Math.floor(Date.now() / 1000) + 1);
    expect(claims.email, 'profile claims go to userinfo, not the ID token').to.equal(undefined);

    const userinfo = await oidc.fetchUserInfo(charting.config, tokens.access_token, sub);
    expect(userinfo).to.deep.include({ sub, email, email_verified: true, name: 'Ada Lovelace', roles: ['clinician'] });
    expect(userinfo.practice).to.have.property('name', 'Riverside Family Clinic');
  });

  it('refuses a public client without PKCE', async () => {
    const url = oidc.buildAuthorizationUrl(charting.config, { redirect_uri: charting.redirectUri, scope: 'openid', state: 's' });
    const page = await new Browser().get(url.href);
    const callback = new URL(page.location!);
    expect(callback.origin + callback.pathname).to.equal(charting.redirectUri);
    expect(callback.searchParams.get('error')).to.equal('invalid_request');
    expect(callback.searchParams.get('error_description')).to.match(/PKCE/);
  });

  it('rotates refresh tokens and refuses a refresh token once used', async () => {
    const { tokens } = await signIn(new Browser(), charting, email, PASSWORD, { scope: 'openid offline_access', prompt: 'consent' });
    const first = tokens.refresh_token!;
    expect(first).to.be.a('string');
    const refreshed = await oidc.refreshTokenGrant(charting.config, first);
    expect(refreshed.refresh_token).to.be.a('string').and.not.equal(first);
    expect(refreshed.claims()?.sub).to.equal(sub);

    const reuse = await oidc.refreshTokenGrant(charting.config, first).then(() => null, (err: unknown) => err);
    expect(reuse).to.be.instanceOf(oidc.ResponseBodyError);
    expect((reuse as oidc.ResponseBodyError).error).to.equal('invalid_grant');
  });

  it('signs a second module in without showing the login page (SSO)', async () => {
    const browser = new Browser();
    await signIn(browser, charting, email, PASSWORD);
    const { tokens } = await silentSignIn(browser, billing);
    expect(tokens.claims()).to.include({ sub, aud: 'billing', acr: ACR_PASSWORD });
  });
});
