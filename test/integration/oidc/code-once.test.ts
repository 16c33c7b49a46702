// An authorization code is redeemed once, also when the app (or a thief who copied it) sends it in
// several token requests at the same moment: RFC 6749 §4.1.2 (a code MUST NOT be used more than once;
// on a second use the grant's tokens are revoked). Both requests read the code before either marks
// it consumed; only the one whose consume finds it unconsumed gets tokens.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { Browser } from '../../helpers/browser.js';
import { relyingParty, REDIRECT_URI, startAuthorization, submitLogin, untilCallback, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const PASSWORD = 'Correct horse, battery 9 staples';

describe('oidc: an authorization code is redeemed once', () => {
  let server: TestServer;
  let rp: RelyingParty;

  before(async () => {
    server = await startServer();
    const practice = await server.createPractice({ name: 'Riverside Family Clinic', mfaPolicy: 'off' });
    await server.createUser({ practiceId: practice._id, email: 'ada@clinic.test', password: PASSWORD });
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT_URI] });
    rp = await relyingParty(server, 'charting');
  });
  after(() => server.close());

  it('four token requests with one code at the same moment: one gets tokens, the others invalid_grant', async () => {
    const start = await startAuthorization(rp);
    const browser = new Browser();
    const loginPage = await browser.follow(await browser.get(start.url.href), rp.redirectUri);
    const callback = await untilCallback(browser, rp, await submitLogin(browser, loginPage, 'ada@clinic.test', PASSWORD));
    const redeem = () => oidc.authorizationCodeGrant(rp.config, callback, { pkceCodeVerifier: start.verifier, expectedNonce: start.nonce, expectedState: start.state, idTokenExpected: true })
      .then((tokens) => tokens, (err: unknown) => err);
    const results = await Promise.all([redeem(), redeem(), redeem(), redeem()]);
    const issued = results.filter((result) => !(result instanceof Error));
    const refused = results.filter((result): result is oidc.ResponseBodyError => result instanceof oidc.ResponseBodyError);
    expect(issued, 'tokens issued once').to.have.length(1);
    expect(refused.map((err) => err.error)).to.deep.equal(['invalid_grant', 'invalid_grant', 'invalid_grant']);
    // The code was used more than once: what it gave is revoked too (the winner may be the thief).
    const winner = issued[0] as Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    const info = await oidc.fetchUserInfo(rp.config, winner.access_token, winner.claims()!.sub).then(() => 'answered', (err: unknown) => err);
    expect(info, 'the winner\'s access token').to.be.instanceOf(Error);
    const refreshed = winner.refresh_token ? await oidc.refreshTokenGrant(rp.config, winner.refresh_token).then(() => 'refreshed', (err: unknown) => err) : undefined;
    if (refreshed !== undefined) expect(refreshed, 'the winner\'s refresh token').to.be.instanceOf(Error);
  });

  it('a code used once still works, and its tokens with it', async () => {
    const start = await startAuthorization(rp);
    const browser = new Browser();
    const loginPage = await browser.follow(await browser.get(start.url.href), rp.redirectUri);
    const callback = await untilCallback(browser, rp, await submitLogin(browser, loginPage, 'ada@clinic.test', PASSWORD));
    const tokens = await oidc.authorizationCodeGrant(rp.config, callback, { pkceCodeVerifier: start.verifier, expectedNonce: start.nonce, expectedState: start.state, idTokenExpected: true });
    const info = await oidc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
    expect(info.sub).to.equal(tokens.claims()!.sub);
  });
});
