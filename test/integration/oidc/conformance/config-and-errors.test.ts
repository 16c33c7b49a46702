// The suite's config plan (discovery, JWKS) and the error codes and acr answers its basic plan
// checks, driven by oauth4webapi's discovery processing and plain HTTP where the check is the HTTP.
import { get } from 'node:http';
import { expect } from 'chai';
import * as oauth from 'oauth4webapi';
import { Browser } from '../../../helpers/browser.js';
import { REDIRECT_URI, startAuthorization } from '../../../helpers/rp.js';
import { startServer } from '../../../helpers/server.js';
import { conformanceProvider } from './fixture.js';

/** A GET with exactly these headers (fetch would not send a forged Host). */
function rawGet(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('conformance: config plan, error codes and acr', () => {
  const suite = conformanceProvider();

  it('oidcc-discovery-endpoint-verification: oauth4webapi accepts the discovery document', async () => {
    const issuer = new URL(suite.server.issuer);
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', [oauth.allowInsecureRequests]: true });
    const as = await oauth.processDiscoveryResponse(issuer, response);
    expect(as.issuer).to.equal(suite.server.issuer);
    expect(as.token_endpoint_auth_methods_supported).to.include('client_secret_post').and.include('client_secret_basic');
    expect(as.response_modes_supported).to.include('form_post');
    expect(as.ui_locales_supported, 'English and Spanish pages (locales/)').to.deep.equal(['en', 'es']);
  });

  it('discovery prints ISSUER URLs whatever Host or a trusted proxy\'s X-Forwarded-Host say', async () => {
    const proxied = await startServer({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
    try {
      const forged: Record<string, string>[] = [{ host: 'evil.example' }, { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }];
      for (const headers of forged) {
        const text = await rawGet(proxied.url('/.well-known/openid-configuration'), headers);
        expect(text, JSON.stringify(headers)).to.not.include('evil.example');
        const metadata = JSON.parse(text) as Record<string, string>;
        for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'end_session_endpoint']) {
          expect(metadata[key]!.startsWith(`${proxied.issuer}/`), key).to.equal(true);
        }
      }
    } finally {
      await proxied.close();
    }
  });

  it('the JWKS is cacheable for a stated time (RPs keep it warm; key rotation waits for it)', async () => {
    const res = await fetch(suite.server.url('/jwks'));
    expect(res.headers.get('cache-control')).to.match(/max-age=\d+/);
    expect(((await res.json()) as { keys: unknown[] }).keys).to.not.be.empty;
  });

  it('unauthorized_client: the app is not registered for this response type', async () => {
    const start = await startAuthorization(suite.module, { response_type: 'none' });
    const page = await new Browser().get(start.url.href);
    expect(new URL(page.location!).searchParams.get('error')).to.equal('unauthorized_client');
  });

  for (const endpoint of ['/token/introspection', '/token/revocation']) {
    it(`${endpoint} without client authentication: 401 invalid_client`, async () => {
      const res = await fetch(suite.server.url(endpoint), {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: 'x' }),
      });
      expect(res.status).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.match(/^Basic /);
      expect(await res.json()).to.include({ error: 'invalid_client' });
    });
  }

  it('oidcc-claims-essential (acr): only unknown values → unmet_authentication_requirements before any password', async () => {
    const start = await startAuthorization(suite.module, { claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:example:unknown'] } } }) });
    const page = await new Browser().get(start.url.href);
    const callback = new URL(page.location!);
    expect(callback.origin + callback.pathname).to.equal(REDIRECT_URI);
    expect(callback.searchParams.get('error')).to.equal('unmet_authentication_requirements');
  });
});
