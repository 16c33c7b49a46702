// Consent: third-party apps ask, first-party modules do not; a confidential client authenticates
// with its (hashed at rest) secret.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { startServer, type TestServer } from '../../helpers/server.js';
import { Browser, field, formAction } from '../../helpers/browser.js';
import { exchange, relyingParty, startAuthorization, submitLogin, untilCallback, type RelyingParty } from '../../helpers/rp.js';

const PASSWORD = 'Another fine passphrase 1';

describe('oidc: consent and confidential clients', () => {
  let server: TestServer;
  let thirdParty: RelyingParty;
  let secret: string;

  before(async () => {
    server = await startServer();
    await server.createUser({ email: 'grace@clinic.test', password: PASSWORD });
    const created = await server.createClient({ clientId: 'labs-portal', name: 'Lab Results Portal', firstParty: false, redirectUris: ['http://127.0.0.1:4/callback'] });
    secret = created.clientSecret!;
    thirdParty = await relyingParty(server, 'labs-portal', secret);
  });

  after(() => server.close());

  async function loginThenConsentPage(browser: Browser) {
    const start = await startAuthorization(thirdParty);
    const login = await browser.follow(await browser.get(start.url.href));
    const consent = await browser.follow(await submitLogin(browser, login, 'grace@clinic.test', PASSWORD));
    return { start, consent };
  }

  it('stores only a hash of the client secret', async () => {
    const stored = await server.models.Client.findById('labs-portal').lean();
    expect(stored!.secretHash).to.match(/^sha256:/);
    expect(JSON.stringify(stored)).to.not.include(secret);
  });

  it('shows a consent page to a third-party app and issues tokens once approved', async () => {
    const browser = new Browser();
    const { start, consent } = await loginThenConsentPage(browser);
    expect(consent.status).to.equal(200);
    expect(consent.html).to.include('Allow Lab Results Portal to access your account?');
    expect(consent.html).to.include('Your email address').and.include('Your name, practice and role');

    const approved = await browser.post(formAction(consent, '/consent'), { _csrf: field(consent.html, '_csrf'), decision: 'approve' });
    const tokens = await exchange(thirdParty, start, await untilCallback(browser, thirdParty, approved));
    expect(tokens.claims()?.aud).to.equal('labs-portal');

    // The grant is remembered: the next authorization goes straight back to the app.
    const again = await startAuthorization(thirdParty);
    const callback = await untilCallback(browser, thirdParty, await browser.get(again.url.href));
    expect(callback.searchParams.get('code')).to.be.a('string');
  });

  it('returns access_denied when the user denies', async () => {
    const browser = new Browser();
    const { consent } = await loginThenConsentPage(browser);
    const denied = await browser.post(formAction(consent, '/consent'), { _csrf: field(consent.html, '_csrf'), decision: 'deny' });
    const callback = await untilCallback(browser, thirdParty, denied);
    expect(callback.searchParams.get('error')).to.equal('access_denied');
  });

  it('refuses the token request with a wrong client secret', async () => {
    const browser = new Browser();
    const { start, consent } = await loginThenConsentPage(browser);
    const approved = await browser.post(formAction(consent, '/consent'), { _csrf: field(consent.html, '_csrf'), decision: 'approve' });
    const callback = await untilCallback(browser, thirdParty, approved);
    const impostor = await relyingParty(server, 'labs-portal', `${secret}x`);
    const err = await exchange(impostor, start, callback).then(() => null, (e: unknown) => e);
    // A 401 with a WWW-Authenticate challenge naming invalid_client (RFC 6749 §5.2).
    expect(err).to.be.instanceOf(oidc.WWWAuthenticateChallengeError);
    const challenge = (err as oidc.WWWAuthenticateChallengeError).cause[0]!;
    expect((err as oidc.WWWAuthenticateChallengeError).status).to.equal(401);
    expect(challenge.parameters.error).to.equal('invalid_client');
  });

  it('introspects and revokes tokens for the authenticated client', async () => {
    const browser = new Browser();
    const { start, consent } = await loginThenConsentPage(browser);
    const approved = await browser.post(formAction(consent, '/consent'), { _csrf: field(consent.html, '_csrf'), decision: 'approve' });
    const tokens = await exchange(thirdParty, start, await untilCallback(browser, thirdParty, approved));
    expect((await oidc.tokenIntrospection(thirdParty.config, tokens.access_token)).active).to.equal(true);
    await oidc.tokenRevocation(thirdParty.config, tokens.access_token);
    expect((await oidc.tokenIntrospection(thirdParty.config, tokens.access_token)).active).to.equal(false);
  });
});
