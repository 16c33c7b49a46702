// Reviewer's attack on SMART: the authorization request sent as a POST form (RFC 6749 allows it,
// oidc-provider answers it) must meet the same rules as the GET: no launch scope without a launch
// value, no SMART scope without aud.
import { expect } from 'chai';
import { hashClientSecret } from '../../../src/oidc/clients.js';
import { addResourceServer } from '../../../src/smart/resource-servers.js';
import { Browser } from '../../helpers/browser.js';
import { relyingParty, startAuthorization, untilCallback, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const FHIR = 'https://fhir.example.org/r4';

describe('review: SMART authorization request as a POST form', () => {
  let server: TestServer;
  let app: RelyingParty;

  before(async () => {
    server = await startServer();
    await addResourceServer({ models: server.models, hashSecret: hashClientSecret }, { id: 'ehr-fhir', name: 'EHR FHIR', baseUrl: FHIR });
    const growth = await server.createClient({ clientId: 'growth', firstParty: true, redirectUris: ['http://127.0.0.1:4/callback'], smartScopes: ['launch', 'patient/*.rs'] });
    app = await relyingParty(server, 'growth', growth.clientSecret);
  });
  after(() => server.close());

  const postAuthorization = async (params: Record<string, string>) => {
    const start = await startAuthorization(app, params);
    const browser = new Browser();
    const endpoint = `${start.url.origin}${start.url.pathname}`;
    return untilCallback(browser, app, await browser.post(endpoint, Object.fromEntries(start.url.searchParams)));
  };

  it('refuses the launch scope without a launch value, as the GET does', async () => {
    const callback = await postAuthorization({ scope: 'openid launch patient/Observation.rs', aud: FHIR });
    expect(callback.searchParams.get('error_description')).to.match(/launch scope needs the launch parameter/);
  });

  it('refuses SMART scopes without aud, as the GET does', async () => {
    const callback = await postAuthorization({ scope: 'openid patient/Observation.rs' });
    expect(callback.searchParams.get('error_description')).to.match(/aud .* is required with SMART scopes/);
  });
});
