// All provider state lives in the store: a second instance (same issuer, same store) continues
// what the first started, and a retired signing key keeps verifying until its tokens expire.
import { expect } from 'chai';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { rotateSigningKeys } from '../../../src/oidc/keys.js';
import { SIGNING_KEY_RETENTION_SECONDS } from '../../../src/sessions/ttl.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';
import { Browser, field, formAction } from '../../helpers/browser.js';
import { relyingParty, signIn, startAuthorization, type RelyingParty } from '../../helpers/rp.js';

const PASSWORD = 'Continuity is a virtue 1';
const REDIRECT = 'http://127.0.0.1:4/callback';

/** The token endpoint of a given instance, called as the public client would. */
async function tokenRequest(server: TestServer, form: Record<string, string>) {
  const res = await fetch(server.url('/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ client_id: 'charting', ...form }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('oidc: continuity across instances', () => {
  let store: StoreUnderTest;
  let first: TestServer;
  let second: TestServer;
  let rp: RelyingParty;

  before(async () => {
    store = await storeUnderTest();
    first = await startServer({ store });
    second = await startServer({ store, issuer: first.issuer });
    await first.createUser({ email: 'kai@clinic.test', password: PASSWORD });
    await first.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT] });
    rp = await relyingParty(first, 'charting');
  });

  after(async () => {
    await second?.close();
    await first?.close();
    await store?.close();
  });

  it('a sign-in started on one instance finishes on the other', async () => {
    const browser = new Browser();
    const start = await startAuthorization(rp);
    const login = await browser.follow(await browser.get(start.url.href));
    const onSecond = (url: string) => url.replace(new URL(first.issuer).host, new URL(second.issuer).host);
    const action = onSecond(formAction(login, '/login'));
    let page = await browser.post(action, { _csrf: field(login.html, '_csrf'), email: 'kai@clinic.test', password: PASSWORD });
    while (page.location && !page.location.startsWith(REDIRECT)) page = await browser.get(onSecond(page.location));
    const code = new URL(page.location!).searchParams.get('code')!;
    const exchanged = await tokenRequest(second, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: start.verifier });
    expect(exchanged.status).to.equal(200);
    expect(exchanged.body.id_token).to.be.a('string');
  });

  it('a second instance accepts a refresh token issued by the first, even after the first stops', async () => {
    const { tokens } = await signIn(new Browser(), rp, 'kai@clinic.test', PASSWORD, { scope: 'openid offline_access', prompt: 'consent' });
    await first.close();
    const refreshed = await tokenRequest(second, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(refreshed.status).to.equal(200);
    expect(refreshed.body.refresh_token).to.be.a('string').and.not.equal(tokens.refresh_token);
    const jwks = createRemoteJWKSet(new URL(second.url('/jwks')));
    const { payload } = await jwtVerify(refreshed.body.id_token!, jwks, { issuer: first.issuer, audience: 'charting' });
    expect(payload.sub).to.equal(tokens.claims()!.sub);
  });
});

describe('oidc: signing key rotation', () => {
  let server: TestServer;
  let rp: RelyingParty;

  before(async () => {
    server = await startServer();
    await server.createUser({ email: 'rotor@clinic.test', password: PASSWORD });
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT] });
    rp = await relyingParty(server, 'charting');
  });

  after(() => server.close());

  const publishedKids = async () => ((await (await fetch(server.url('/jwks'))).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);

  it('signs with the new key, keeps the old one published until its tokens expire, then drops it', async () => {
    const before = await signIn(new Browser(), rp, 'rotor@clinic.test', PASSWORD);
    const oldKid = decodeProtectedHeader(before.tokens.id_token!).kid!;

    // An emergency rotation (signing at once); the scheduled one is conformance/key-rotation.test.ts.
    const { next: activated, replaced: retiring } = await rotateSigningKeys({ models: server.models, now: server.clock.now }, { activateAfterSeconds: 0, retireAfterSeconds: SIGNING_KEY_RETENTION_SECONDS });
    expect(retiring).to.include(oldKid);
    expect(await server.idp.refreshSigningKeys()).to.equal(true);

    const kids = await publishedKids();
    expect(kids).to.include(oldKid).and.include.members(activated);
    const after = await signIn(new Browser(), rp, 'rotor@clinic.test', PASSWORD);
    const newKid = decodeProtectedHeader(after.tokens.id_token!).kid!;
    expect(activated).to.include(newKid);
    expect(newKid).to.not.equal(oldKid);
    // A token signed before the rotation still verifies against the published set.
    const jwks = createRemoteJWKSet(new URL(server.url('/jwks')));
    await jwtVerify(before.tokens.id_token!, jwks, { issuer: server.issuer, audience: 'charting', currentDate: new Date(before.tokens.claims()!.iat * 1000) });

    server.clock.advance(SIGNING_KEY_RETENTION_SECONDS * 1000 - 1000);
    expect(await server.idp.refreshSigningKeys()).to.equal(false);
    server.clock.advance(2000);
    expect(await server.idp.refreshSigningKeys()).to.equal(true);
    const remaining = await publishedKids();
    expect(remaining).to.include(newKid);
    expect(remaining).to.not.include(oldKid);
  });
  it('a first start on an empty store generates a signing key per algorithm, published without private parts; the next start reuses them', async () => {
    const empty = await storeUnderTest();
    const firstStart = await startServer({ store: empty });
    try {
      const stored = await firstStart.models.SigningKey.find({}).lean();
      expect(stored.map((key) => key.alg).sort()).to.deep.equal(['ES256', 'RS256']);
      const published = (await (await fetch(firstStart.url('/jwks'))).json()) as { keys: Array<Record<string, unknown>> };
      expect(published.keys.map((key) => key.kid).sort()).to.deep.equal(stored.map((key) => key._id).sort());
      expect(published.keys.some((key) => 'd' in key || 'p' in key)).to.equal(false);
      const nextStart = await startServer({ store: empty, issuer: firstStart.issuer });
      await nextStart.close();
      expect((await firstStart.models.SigningKey.find({}).lean()).map((key) => key._id).sort()).to.deep.equal(stored.map((key) => key._id).sort());
    } finally {
      await firstStart.close();
      await empty.close();
    }
  });
});
