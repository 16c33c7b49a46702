// SMART Backend Services: a service client signs a client assertion (RS384 or ES384; registered
// JWKS or jwks_uri) and gets a JWT access token with system scopes for the FHIR server.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import * as oidc from 'openid-client';
import { hashClientSecret } from '../../../src/oidc/clients.js';
import { addResourceServer } from '../../../src/smart/resource-servers.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const FHIR = 'https://fhir.example.org/r4';

describe('smart: Backend Services (client credentials, private_key_jwt, system scopes)', () => {
  let server: TestServer;
  let jwksServer: Server;
  let rsKey: CryptoKey;
  let ecKey: CryptoKey;
  let fhirSecret: string;
  let labSecret: string;

  const token = async (form: Record<string, string>) => {
    const res = await fetch(server.url('/token'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const assertion = (clientId: string, key: CryptoKey | Uint8Array, alg: string, claims: { exp?: number; jti?: string } = {}) =>
    new SignJWT({ jti: claims.jti ?? randomUUID() }).setProtectedHeader({ alg }).setIssuer(clientId).setSubject(clientId)
      .setAudience(server.url('/token')).setIssuedAt().setExpirationTime(claims.exp ?? '4m').sign(key);
  const backendForm = (jwt: string, scope = 'system/Observation.rs') => ({
    grant_type: 'client_credentials', scope, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt,
  });

  before(async () => {
    server = await startServer();
    fhirSecret = (await addResourceServer({ models: server.models, hashSecret: hashClientSecret }, { id: 'ehr-fhir', name: 'EHR FHIR', baseUrl: FHIR })).secret;
    const rs = await generateKeyPair('RS384');
    rsKey = rs.privateKey;
    await server.createClient({
      clientId: 'population-health', redirectUris: [], serviceAccess: true, authMethod: 'private_key_jwt', smartScopes: ['system/Observation.rs', 'system/Patient.r'],
      jwks: { keys: [{ ...(await exportJWK(rs.publicKey)), alg: 'RS384', use: 'sig' }] },
    });
    const ec = await generateKeyPair('ES384');
    ecKey = ec.privateKey;
    const ecJwks = JSON.stringify({ keys: [{ ...(await exportJWK(ec.publicKey)), alg: 'ES384', use: 'sig' }] });
    jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(ecJwks));
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    await server.createClient({
      clientId: 'bulk-export', redirectUris: [], serviceAccess: true, authMethod: 'private_key_jwt', smartScopes: ['system/*.rs'],
      jwksUri: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`,
    });
    labSecret = (await server.createClient({ clientId: 'lab-interface', redirectUris: [], serviceAccess: true, smartScopes: ['system/*.rs'] })).clientSecret!;
  });

  after(async () => {
    await server.close();
    jwksServer.close();
  });

  it('issues an RS384-authenticated client a JWT for the FHIR server that the server verifies and introspects', async () => {
    const config = await oidc.discovery(new URL(server.issuer), 'population-health', {}, oidc.PrivateKeyJwt(rsKey), { execute: [oidc.allowInsecureRequests] });
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'system/Observation.read' });
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(server.url('/jwks'))), { issuer: server.issuer, audience: FHIR });
    expect(protectedHeader.typ).to.equal('at+jwt');
    expect(payload).to.include({ sub: 'population-health', client_id: 'population-health', scope: 'system/Observation.rs' });
    const introspection = await fetch(server.url('/token/introspection'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`ehr-fhir:${fhirSecret}`).toString('base64')}` },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    expect(await introspection.json()).to.include({ active: true, client_id: 'population-health', scope: 'system/Observation.rs' });
  });

  it('accepts ES384 with keys from the jwks_uri (fetched through the outbound guard)', async () => {
    const { status, body } = await token(backendForm(await assertion('bulk-export', ecKey, 'ES384'), 'system/Patient.rs'));
    expect(status, JSON.stringify(body)).to.equal(200);
    expect(decodeJwt(String(body.access_token))).to.include({ aud: FHIR, scope: 'system/Patient.rs' });
  });

  it('refuses a replayed assertion (same jti)', async () => {
    const jwt = await assertion('population-health', rsKey, 'RS384');
    expect((await token(backendForm(jwt))).status).to.equal(200);
    const replay = await token(backendForm(jwt));
    expect(replay.status).to.equal(401);
    expect(replay.body.error).to.equal('invalid_client');
  });

  it('refuses an assertion that lives longer than five minutes', async () => {
    const long = await token(backendForm(await assertion('population-health', rsKey, 'RS384', { exp: Math.floor(Date.now() / 1000) + 6 * 60 })));
    expect(long.status).to.equal(401);
    expect(long.body.error).to.equal('invalid_client');
    // The same assertion with a 4-minute exp is accepted (the other tests): only the lifetime differs.
  });

  it('refuses an HS256 assertion', async () => {
    const hs = await token(backendForm(await assertion('population-health', new TextEncoder().encode('x'.repeat(32)), 'HS256')));
    expect(hs.status).to.equal(401);
  });

  it('refuses user and patient scopes, unregistered system scopes, and system scopes for a secret-based client', async () => {
    for (const scope of ['patient/Observation.rs', 'user/Observation.rs', 'launch', 'system/Condition.rs']) {
      const refused = await token(backendForm(await assertion('population-health', rsKey, 'RS384'), scope));
      expect(refused.status, scope).to.equal(400);
      expect(refused.body.error, scope).to.equal('invalid_scope');
    }
    const secretClient = await fetch(server.url('/token'), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/Observation.rs', client_id: 'lab-interface', client_secret: labSecret }),
    });
    expect(secretClient.status).to.equal(400);
    expect(await secretClient.json()).to.include({ error: 'invalid_scope', error_description: 'system scopes need a client that authenticates with private_key_jwt' });
  });
});
