/**
 * Back-channel logout token checks, one row per rule of OIDC Back-Channel Logout 1.0 section 2.6.
 * Tokens are signed for real with a freshly generated key; the clock is fixed.
 */
import { expect } from 'chai';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { BACKCHANNEL_LOGOUT_EVENT, LogoutTokenError, verifyLogoutToken } from '../../../src/demo/backchannel.js';
import { FakeClock } from '../../helpers/clock.js';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const issuer = 'https://idp.test';
const clientId = 'charting';
const clock = new FakeClock();
const nowSeconds = () => Math.floor(clock.now() / 1000);

const good = (): JWTPayload => ({
  iss: issuer,
  aud: clientId,
  iat: nowSeconds(),
  exp: nowSeconds() + 120,
  jti: 'jti-1',
  sub: 'user-1',
  sid: 'sid-1',
  events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
});

describe('demo module: logout token verification', () => {
  let sign: (payload: JWTPayload, typ?: string, key?: PrivateKey) => Promise<string>;
  let keys: ReturnType<typeof createLocalJWKSet>;
  let otherKey: PrivateKey;

  before(async () => {
    const pair = await generateKeyPair('RS256');
    otherKey = (await generateKeyPair('RS256')).privateKey;
    keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] });
    sign = (payload, typ = 'logout+jwt', key = pair.privateKey) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ }).sign(key);
  });

  const verify = (token: string) => verifyLogoutToken(token, { issuer, clientId, keys, algorithms: ['RS256'], now: clock.now });

  it('accepts a valid token and names its sid and sub', async () => {
    expect(await verify(await sign(good()))).to.deep.equal({ sid: 'sid-1', sub: 'user-1' });
  });

  it('accepts a token naming only the subject', async () => {
    const { sid: _sid, ...payload } = good();
    expect(await verify(await sign(payload))).to.deep.equal({ sub: 'user-1' });
  });

  const refused: Array<[string, () => Promise<string>, RegExp]> = [
    ['a signature from another key', () => sign(good(), undefined, otherKey), /signature/],
    ['another issuer', () => sign({ ...good(), iss: 'https://evil.test' }), /iss/],
    ['another audience', () => sign({ ...good(), aud: 'billing' }), /aud/],
    ['an expired token', () => sign({ ...good(), iat: nowSeconds() - 600, exp: nowSeconds() - 300 }), /expired/],
    ['a token issued too long ago', () => sign({ ...good(), iat: nowSeconds() - 600, exp: nowSeconds() + 600 }), /expired/],
    ['no iat', () => sign({ ...good(), iat: undefined }), /iat/],
    ['no jti', () => sign({ ...good(), jti: undefined }), /jti/],
    ['no events claim', () => sign({ ...good(), events: undefined }), /events/],
    ['events without the logout event', () => sign({ ...good(), events: { 'urn:other': {} } }), /back-channel logout event/],
    ['a nonce', () => sign({ ...good(), nonce: 'n' }), /nonce/],
    ['neither sid nor sub', () => sign({ ...good(), sid: undefined, sub: undefined }), /neither sid nor sub/],
    ['an ID token type header', () => sign(good(), 'JWT'), /typ/],
    ['garbage', async () => 'not.a.jwt', /invalid/],
  ];
  for (const [label, token, reason] of refused) {
    it(`refuses ${label}`, async () => {
      const error = await verify(await token()).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(LogoutTokenError);
      expect((error as Error).message).to.match(reason);
    });
  }

  it('refuses a missing token', async () => {
    const error = await verifyLogoutToken(undefined, { issuer, clientId, keys }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(LogoutTokenError);
    expect((error as Error).message).to.equal('logout_token is missing');
  });
});
