// Issue 14.5: an app with a warm JWKS cache keeps validating ID tokens and back-channel logout
// tokens across `keys rotate`. jose's createRemoteJWKSet refetches on an unknown kid only 30 s
// after its last fetch: a key that signed as soon as it was published failed right here.
// The schedule runs on the app's injected clock; no sleeps.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { DEFAULT_ACTIVATION_DELAY_SECONDS, JWKS_MAX_AGE_SECONDS, rotateSigningKeys } from '../../../../src/oidc/keys.js';
import { SIGNING_KEY_RETENTION_SECONDS } from '../../../../src/sessions/ttl.js';
import { Browser, field } from '../../../helpers/browser.js';
import { FakeClock } from '../../../helpers/clock.js';
import { REDIRECT_URI, relyingParty, signIn, type RelyingParty } from '../../../helpers/rp.js';
import { startServer, type TestServer } from '../../../helpers/server.js';

const PASSWORD = 'Rotating quietly 4 ever';

describe('conformance: key rotation with a warm JWKS cache', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let receiver: Server;
  const logoutTokens: string[] = [];

  before(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString())).on('end', () => {
        const token = new URLSearchParams(body).get('logout_token');
        if (token) logoutTokens.push(token);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    server = await startServer({ clock: new FakeClock(Date.now()) });
    await server.createUser({ email: 'rotor@clinic.test', password: PASSWORD });
    await server.createClient({
      clientId: 'module', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT_URI],
      backchannelLogoutUri: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/logout`,
    });
    rp = await relyingParty(server, 'module');
  });

  after(async () => {
    await server.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid!;
  const published = async () => ((await (await fetch(server.url('/jwks'))).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);

  async function signOut(browser: Browser, idToken: string): Promise<string> {
    logoutTokens.length = 0;
    // A valid hint ends the session at once (src/sessions/sign-out.ts); no hint would need "Sign out".
    const ended = await browser.get(oidc.buildEndSessionUrl(rp.config, { id_token_hint: idToken }).href);
    if (!ended.location) await browser.post(server.url('/session/end/confirm'), { xsrf: field(ended.html, 'xsrf'), logout: 'yes' });
    expect(logoutTokens).to.have.length(1);
    return logoutTokens[0]!;
  }

  it('publishes the new key first, signs with it only after the delay, keeps the old one until its tokens expire', async () => {
    expect(DEFAULT_ACTIVATION_DELAY_SECONDS, 'longer than the JWKS max-age plus a refresh').to.be.greaterThan(JWKS_MAX_AGE_SECONDS + 60);
    const jwks = createRemoteJWKSet(new URL(rp.config.serverMetadata().jwks_uri!));
    const verify = (jwt: string, typ?: string) => jwtVerify(jwt, jwks, { issuer: server.issuer, audience: 'module', ...(typ ? { typ } : {}) });

    const before = await signIn(new Browser(), rp, 'rotor@clinic.test', PASSWORD);
    await verify(before.tokens.id_token!); // the cache is warm now
    const oldKid = kidOf(before.tokens.id_token!);

    const rotation = await rotateSigningKeys({ models: server.models, now: server.clock.now }, { retireAfterSeconds: SIGNING_KEY_RETENTION_SECONDS });
    expect(await server.idp.refreshSigningKeys(), 'the JWKS changed: the next keys are published').to.equal(true);
    expect(await published()).to.include(oldKid).and.include.members(rotation.next);

    // Within the delay: still the old key, so the warm cache validates ID and logout tokens.
    const browser = new Browser();
    const during = await signIn(browser, rp, 'rotor@clinic.test', PASSWORD);
    expect(kidOf(during.tokens.id_token!)).to.equal(oldKid);
    await verify(during.tokens.id_token!);
    await verify(await signOut(browser, during.tokens.id_token!), 'logout+jwt');

    // After the delay (the app's cache has expired by then and refetched): the new key signs.
    server.clock.advance(DEFAULT_ACTIVATION_DELAY_SECONDS * 1000);
    expect(await server.idp.refreshSigningKeys()).to.equal(true);
    await jwks.reload();
    const browserAfter = new Browser();
    const after = await signIn(browserAfter, rp, 'rotor@clinic.test', PASSWORD);
    expect(rotation.next).to.include(kidOf(after.tokens.id_token!));
    await verify(after.tokens.id_token!);
    await verify(await signOut(browserAfter, after.tokens.id_token!), 'logout+jwt');
    await verify(before.tokens.id_token!); // the old key is still published

    // Retired once every token it signed has expired.
    server.clock.advance(SIGNING_KEY_RETENTION_SECONDS * 1000);
    expect(await server.idp.refreshSigningKeys()).to.equal(true);
    const remaining = await published();
    expect(remaining).to.not.include(oldKid);
    expect(remaining).to.include(kidOf(after.tokens.id_token!));
  });
});
