// /.well-known/smart-configuration: the endpoints and methods the provider really serves, open to
// any origin, GET only.
import { expect } from 'chai';
import { startServer, type TestServer } from '../../helpers/server.js';

describe('smart: /.well-known/smart-configuration', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  it('agrees with the OpenID discovery document and is readable from any origin', async () => {
    const res = await fetch(server.url('/.well-known/smart-configuration'), { headers: { origin: 'https://app.example.org' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    const smart = (await res.json()) as Record<string, unknown>;
    const openid = (await (await fetch(server.url('/.well-known/openid-configuration'))).json()) as Record<string, unknown>;
    for (const key of ['issuer', 'jwks_uri', 'authorization_endpoint', 'token_endpoint', 'introspection_endpoint', 'revocation_endpoint', 'userinfo_endpoint', 'code_challenge_methods_supported']) {
      expect(smart[key], key).to.deep.equal(openid[key]);
    }
    expect(smart.token_endpoint_auth_methods_supported).to.have.members(openid.token_endpoint_auth_methods_supported as string[]);
    expect(smart.token_endpoint_auth_signing_alg_values_supported).to.have.members(openid.token_endpoint_auth_signing_alg_values_supported as string[]);
    expect(smart.token_endpoint_auth_signing_alg_values_supported).to.include.members(['RS384', 'ES384']);
    expect(smart.grant_types_supported).to.have.members(openid.grant_types_supported as string[]);
    expect(smart.code_challenge_methods_supported).to.deep.equal(['S256']);
    expect(smart.response_types_supported).to.deep.equal(['code']);
    expect(smart.capabilities).to.include.members(['launch-ehr', 'context-ehr-patient', 'launch-standalone', 'client-public', 'client-confidential-symmetric', 'sso-openid-connect', 'permission-v2', 'permission-patient', 'permission-user', 'authorize-post']);
    expect(smart.scopes_supported).to.include.members(['openid', 'fhirUser', 'patient/*.cruds', 'user/*.cruds']);
  });

  it('advertises the standalone patient context (the picker, picker.test.ts) and nothing it does not do', async () => {
    const smart = (await (await fetch(server.url('/.well-known/smart-configuration'))).json()) as { capabilities: string[]; scopes_supported: string[] };
    expect(smart.capabilities).to.include.members(['launch-standalone', 'context-standalone-patient']);
    expect(smart.capabilities).to.not.include.members(['context-standalone-encounter']);
    expect(smart.capabilities).to.not.include('context-banner');
    expect(smart.scopes_supported).to.include('launch/patient');
  });

  it('answers GET only', async () => {
    const post = await fetch(server.url('/.well-known/smart-configuration'), { method: 'POST' });
    expect(post.status).to.equal(405);
    expect(post.headers.get('allow')).to.equal('GET, HEAD');
    const preflight = await fetch(server.url('/.well-known/smart-configuration'), { method: 'OPTIONS', headers: { origin: 'https://app.example.org', 'access-control-request-method': 'GET' } });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-methods')).to.equal('GET');
  });
});
