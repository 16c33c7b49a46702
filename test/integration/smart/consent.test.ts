// A third-party SMART app: the consent page lists its SMART scopes in plain words; the grant the
// user approves is what the token carries.
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { hashClientSecret } from '../../../src/oidc/clients.js';
import { addResourceServer } from '../../../src/smart/resource-servers.js';
import { Browser, field, formAction } from '../../helpers/browser.js';
import { exchange, relyingParty, startAuthorization, submitLogin, untilCallback, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const PASSWORD = 'Another fine passphrase 1';
const FHIR = 'https://fhir.example.org/r4';

describe('smart: consent to SMART scopes', () => {
  let server: TestServer;
  let app: RelyingParty;

  before(async () => {
    server = await startServer();
    await server.createUser({ email: 'grace@clinic.test', password: PASSWORD });
    await addResourceServer({ models: server.models, hashSecret: hashClientSecret }, { id: 'ehr-fhir', name: 'EHR FHIR', baseUrl: FHIR });
    const { clientSecret } = await server.createClient({
      clientId: 'growth', name: 'Growth Chart', redirectUris: ['http://127.0.0.1:4/callback'], smartScopes: ['user/Observation.rs', 'patient/*.r'],
    });
    app = await relyingParty(server, 'growth', clientSecret);
  });

  after(() => server.close());

  it('lists the SMART scopes in plain words and issues them once approved', async () => {
    const browser = new Browser();
    const start = await startAuthorization(app, { scope: 'openid fhirUser user/Observation.rs patient/Condition.r', aud: FHIR });
    const login = await browser.follow(await browser.get(start.url.href));
    const consent = await browser.follow(await submitLogin(browser, login, 'grace@clinic.test', PASSWORD));
    expect(consent.html).to.include("Read and search your patients' Observations").and.include("Read the current patient's Conditions");
    const approved = await browser.post(formAction(consent, '/consent'), { _csrf: field(consent.html, '_csrf'), decision: 'approve' });
    const tokens = await exchange(app, start, await untilCallback(browser, app, approved));
    expect(decodeJwt(tokens.access_token)).to.include({ aud: FHIR, scope: 'user/Observation.rs patient/Condition.r' });
  });

  it('says the SMART scopes in the language the app asks for (ui_locales=es)', async () => {
    const browser = new Browser();
    const start = await startAuthorization(app, { scope: 'openid fhirUser user/Observation.rs patient/Condition.r', aud: FHIR, ui_locales: 'es-US' });
    const login = await browser.follow(await browser.get(start.url.href));
    const consent = await browser.follow(await submitLogin(browser, login, 'grace@clinic.test', PASSWORD));
    expect(consent.html).to.include('Ver y buscar los registros Observation de sus pacientes').and.include('Ver los registros Condition del paciente actual')
      .and.not.include('Read and search');
  });
});
