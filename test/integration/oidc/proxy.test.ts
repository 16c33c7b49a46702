// Behind a TLS-terminating proxy: X-Forwarded-Proto is believed only from configured addresses, so
// Secure cookies are issued for proxied https requests and refused for anyone else's claims.
import { expect } from 'chai';
import { startServer, type TestServer } from '../../helpers/server.js';

describe('oidc: trusted proxies', () => {
  const servers: TestServer[] = [];
  after(() => Promise.all(servers.map((server) => server.close())));

  async function authorize(trustedProxies: string) {
    const server = await startServer({ issuer: 'https://id.clinic.test', env: { TRUSTED_PROXIES: trustedProxies } });
    servers.push(server);
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: ['https://charting.clinic.test/callback'] });
    const query = new URLSearchParams({
      client_id: 'charting', response_type: 'code', scope: 'openid', redirect_uri: 'https://charting.clinic.test/callback',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
    });
    return fetch(server.url(`/auth?${query}`), { redirect: 'manual', headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' } });
  }

  it('honours X-Forwarded-Proto from a configured proxy: Secure, HttpOnly, SameSite=Lax cookies', async () => {
    const res = await authorize('127.0.0.1/32,::1');
    expect(res.status).to.equal(303);
    const cookies = res.headers.getSetCookie();
    expect(cookies).to.not.be.empty;
    for (const cookie of cookies) expect(cookie.toLowerCase()).to.include('; secure').and.include('; httponly').and.include('samesite=lax');
  });

  it('ignores X-Forwarded-Proto from anyone else, so no Secure cookie goes over plain http', async () => {
    const res = await authorize('10.0.0.0/8');
    expect(res.status).to.not.equal(303);
    expect(res.headers.getSetCookie()).to.be.empty;
  });
});
