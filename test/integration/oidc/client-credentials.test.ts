// Machine-to-machine tokens: a service client (a lab interface, a scheduling sync) obtains a token
// for itself with the client credentials grant; no user, so no user scope and no user claims.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createClient, rotateClientSecret } from '../../../src/oidc/clients.js';
import { startServer, type TestServer } from '../../helpers/server.js';

/** The error a promise rejects with (undefined if it resolves). */
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (err: unknown) => err);

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describe('oidc: client credentials grant', () => {
  let server: TestServer;
  let labSecret: string;
  let signInSecret: string;
  let labKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const post = async (path: string, form: Record<string, string>, authorization?: string): Promise<Answer> => {
    const res = await fetch(server.url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...(authorization ? { authorization } : {}) },
      body: new URLSearchParams(form),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const labToken = (form: Record<string, string> = {}, secret = labSecret) =>
    post('/token', { grant_type: 'client_credentials', ...form }, basic('lab-interface', secret));

  before(async () => {
    server = await startServer();
    labSecret = (await server.createClient({ clientId: 'lab-interface', redirectUris: [], serviceAccess: true })).clientSecret!;
    signInSecret = (await server.createClient({ clientId: 'billing', redirectUris: ['https://billing.example.org/cb'] })).clientSecret!;
    await server.createClient({ clientId: 'patient-app', authMethod: 'none', redirectUris: ['https://app.example.org/cb'] });
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    labKey = privateKey;
    await server.createClient({
      clientId: 'scheduling-sync', redirectUris: [], serviceAccess: true, authMethod: 'private_key_jwt',
      jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig' }] },
    });
  });

  after(() => server.close());

  it('issues an opaque, scope-less token to a service client; introspection shows the client and no subject', async () => {
    const { status, body } = await labToken();
    expect(status).to.equal(200);
    expect(body.token_type).to.equal('Bearer');
    expect(body.expires_in).to.be.a('number').within(590, 600);
    expect(body).to.not.have.any.keys('scope', 'refresh_token', 'id_token');

    const introspection = await post('/token/introspection', { token: String(body.access_token) }, basic('lab-interface', labSecret));
    expect(introspection.status).to.equal(200);
    expect(introspection.body).to.include({ active: true, client_id: 'lab-interface', token_type: 'Bearer' });
    expect(introspection.body).to.not.have.any.keys('sub', 'scope', 'username');
  });

  it('gives no user claims for a service token at userinfo', async () => {
    const { body } = await labToken();
    const res = await fetch(server.url('/me'), { headers: { authorization: `Bearer ${String(body.access_token)}` } });
    expect(res.status).to.equal(401);
    expect(await res.json()).to.have.property('error', 'invalid_token');
  });

  it('refuses user scopes on a service token and drops scopes the provider does not know', async () => {
    for (const scope of ['openid', 'profile email', 'offline_access']) {
      const { status, body } = await labToken({ scope });
      expect(status, scope).to.equal(400);
      expect(body.error, scope).to.equal('invalid_scope');
    }
    const unknown = await labToken({ scope: 'patients.write' });
    expect(unknown.status).to.equal(200);
    expect(unknown.body).to.not.have.property('scope');
  });

  it('refuses a resource indicator: a service token has no audience', async () => {
    const { status, body } = await labToken({ resource: 'https://ehr.example.org/api' });
    expect(status).to.equal(400);
    expect(body.error).to.equal('invalid_target');
  });

  it('issues a token to a service client that authenticates with a signed JWT', async () => {
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('scheduling-sync').setSubject('scheduling-sync').setAudience(server.issuer)
      .setJti(randomUUID()).setIssuedAt().setExpirationTime('1m')
      .sign(labKey);
    const { status, body } = await post('/token', {
      grant_type: 'client_credentials',
      client_id: 'scheduling-sync',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    expect(status, JSON.stringify(body)).to.equal(200);
    expect(body.access_token).to.be.a('string');
  });

  it('refuses the grant to a sign-in client, even a confidential one', async () => {
    const { status, body } = await post('/token', { grant_type: 'client_credentials' }, basic('billing', signInSecret));
    expect(status).to.equal(400);
    expect(body.error, 'RFC 6749 §5.2').to.equal('unauthorized_client');
    expect(String(body.error_description)).to.contain('grant type');
  });

  it('refuses a public client, even one stored as a service client behind the service’s back', async () => {
    const refused = await rejection(createClient(server.models, { name: 'Kiosk', authMethod: 'none', serviceAccess: true }));
    expect(refused).to.have.property('code', 'invalid_client_metadata');
    await server.models.Client.create({ _id: 'kiosk', name: 'Kiosk', authMethod: 'none', serviceAccess: true, redirectUris: ['https://kiosk.example.org/cb'] });
    for (const clientId of ['kiosk', 'patient-app']) {
      const { status, body } = await post('/token', { grant_type: 'client_credentials', client_id: clientId });
      expect(status, clientId).to.equal(400);
      expect(body.error, clientId).to.equal('unauthorized_client');
    }
  });

  it('refuses a service client that asks to sign a user in', async () => {
    const refused = await rejection(createClient(server.models, { name: 'Sync', serviceAccess: true, redirectUris: ['https://sync.example.org/cb'] }));
    expect(refused).to.have.property('code', 'invalid_client_metadata');
    const url = new URL(server.url('/auth'));
    url.search = new URLSearchParams({ client_id: 'lab-interface', response_type: 'code', scope: 'openid', redirect_uri: 'https://lab.example.org/cb' }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status, 'no redirect to an unregistered URI').to.equal(400);
    await res.arrayBuffer();
  });

  it('refuses a wrong secret, and a rotated secret or a disabled client at once', async () => {
    const wrong = await labToken({}, 'not-the-secret');
    expect(wrong.status).to.equal(401);
    expect(wrong.body.error).to.equal('invalid_client');

    const { clientSecret } = await server.createClient({ clientId: 'billing-sync', redirectUris: [], serviceAccess: true });
    const sync = () => post('/token', { grant_type: 'client_credentials' }, basic('billing-sync', clientSecret!));
    expect((await sync()).status).to.equal(200);
    const rotated = await rotateClientSecret(server.models, 'billing-sync');
    expect((await sync()).status, 'the old secret').to.equal(401);
    expect((await post('/token', { grant_type: 'client_credentials' }, basic('billing-sync', rotated))).status).to.equal(200);
    // Disabled clients are unknown to the provider (no operator command disables one yet).
    await server.models.Client.updateOne({ _id: 'billing-sync' }, { $set: { active: false } });
    expect((await post('/token', { grant_type: 'client_credentials' }, basic('billing-sync', rotated))).status, 'disabled').to.equal(401);
  });
});
