// PKCE S256 is required for every code flow, confidential clients included (SMART App Launch 2).
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { Browser } from '../../helpers/browser.js';
import { relyingParty, untilCallback } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

describe('smart: PKCE for confidential clients', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  it('refuses a confidential client without code_challenge, or with plain, before any sign-in', async () => {
    const { clientSecret } = await server.createClient({ clientId: 'billing', redirectUris: ['http://127.0.0.1:4/callback'] });
    const rp = await relyingParty(server, 'billing', clientSecret);
    const browser = new Browser();
    const base = { redirect_uri: rp.redirectUri, scope: 'openid', state: oidc.randomState() };
    const without = await untilCallback(browser, rp, await browser.get(oidc.buildAuthorizationUrl(rp.config, base).href));
    expect(without.searchParams.get('error')).to.equal('invalid_request');
    expect(without.searchParams.get('error_description')).to.match(/requires PKCE/);
    const plain = await untilCallback(browser, rp, await browser.get(oidc.buildAuthorizationUrl(rp.config, { ...base, code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }).href));
    expect(plain.searchParams.get('error')).to.equal('invalid_request');
    expect(plain.searchParams.has('code')).to.equal(false);
  });
});
