// EHR launch: the charting module (an EHR module) asks for a launch value for one app and one
// patient; the app passes it with the `launch` scope and gets the context in the token response
// and on its JWT access token. Single use, 5 minutes, one app, one practice.
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { LAUNCH_LIFETIME_MS } from '../../../src/smart/launch/service.js';
import { hashClientSecret } from '../../../src/oidc/clients.js';
import { addResourceServer } from '../../../src/smart/resource-servers.js';
import { Browser } from '../../helpers/browser.js';
import { FakeClock } from '../../helpers/clock.js';
import { exchange, relyingParty, startAuthorization, submitLogin, untilCallback, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const PASSWORD = 'Correct horse, battery 9 staples';
const FHIR = 'https://fhir.example.org/r4';
const SCOPE = 'openid fhirUser launch patient/Observation.rs';

describe('smart: EHR launch', () => {
  let server: TestServer;
  let app: RelyingParty;
  let otherApp: RelyingParty;
  let ehrSecret: string;
  let practiceId: string;
  let otherPracticeId: string;
  let email: string;
  const clock = new FakeClock(Date.now());

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const askLaunch = async (body: Record<string, unknown>, authorization = basic('charting', ehrSecret)) => {
    const res = await fetch(server.url('/smart/launch'), { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const newLaunch = async (extra: Record<string, unknown> = {}) => {
    const { status, body } = await askLaunch({
      client_id: 'growth', practice: practiceId, patient: 'pat-123', encounter: 'enc-9',
      fhirContext: [{ reference: 'DiagnosticReport/77' }], need_patient_banner: false, smart_style_url: 'https://ehr.example.org/style.json', ...extra,
    });
    expect(status, JSON.stringify(body)).to.equal(201);
    return String(body.launch);
  };
  /** The app's authorization request (signing in on the way); its callback and start. */
  const launchApp = async (rp: RelyingParty, launch: string, browser = new Browser()) => {
    const start = await startAuthorization(rp, { scope: SCOPE, aud: FHIR, launch });
    const first = await browser.follow(await browser.get(start.url.href), rp.redirectUri);
    const callback = first.location?.startsWith(rp.redirectUri) ? new URL(first.location) : await untilCallback(browser, rp, await submitLogin(browser, first, email, PASSWORD));
    return { start, callback };
  };

  before(async () => {
    server = await startServer({ clock });
    const practice = await server.createPractice({ name: 'Riverside' });
    practiceId = String(practice._id);
    otherPracticeId = String((await server.createPractice({ name: 'Hillside' }))._id);
    const user = await server.createUser({ practiceId: practice._id, password: PASSWORD });
    email = user.email;
    await server.models.User.updateOne({ sub: user.sub }, { $set: { fhirUser: 'Practitioner/dr-1' } });
    await addResourceServer({ models: server.models, hashSecret: hashClientSecret }, { id: 'ehr-fhir', name: 'EHR FHIR', baseUrl: FHIR });
    ehrSecret = (await server.createClient({ clientId: 'charting', firstParty: true, redirectUris: ['https://charting.example.org/cb'] })).clientSecret!;
    const scopes = ['launch', 'patient/*.rs'];
    const growth = await server.createClient({ clientId: 'growth', firstParty: true, redirectUris: ['http://127.0.0.1:4/callback'], smartScopes: scopes });
    const other = await server.createClient({ clientId: 'other-app', firstParty: true, redirectUris: ['http://127.0.0.1:4/callback'], smartScopes: scopes });
    app = await relyingParty(server, 'growth', growth.clientSecret);
    otherApp = await relyingParty(server, 'other-app', other.clientSecret);
  });

  after(() => server.close());

  it('carries the launch context to the token response and the JWT access token', async () => {
    const { start, callback } = await launchApp(app, await newLaunch());
    const tokens = await exchange(app, start, callback);
    expect(tokens).to.deep.include({
      patient: 'pat-123', encounter: 'enc-9', fhirContext: [{ reference: 'DiagnosticReport/77' }],
      need_patient_banner: false, smart_style_url: 'https://ehr.example.org/style.json',
    });
    expect(tokens.scope?.split(' ')).to.include.members(['launch', 'patient/Observation.rs']);
    expect(decodeJwt(tokens.access_token)).to.deep.include({
      aud: FHIR, patient: 'pat-123', encounter: 'enc-9', fhirContext: [{ reference: 'DiagnosticReport/77' }], fhirUser: `${FHIR}/Practitioner/dr-1`,
    });
  });

  it('refuses a launch value used a second time', async () => {
    const launch = await newLaunch();
    const browser = new Browser();
    const first = await launchApp(app, launch, browser);
    expect(first.callback.searchParams.has('code')).to.equal(true);
    const replay = await launchApp(app, launch, browser);
    expect(replay.callback.searchParams.get('error')).to.equal('invalid_request');
    expect(replay.callback.searchParams.get('error_description')).to.match(/already used/);
  });

  it("refuses another app's launch value without burning it for the app it was issued to", async () => {
    const launch = await newLaunch();
    const stolen = await launchApp(otherApp, launch);
    expect(stolen.callback.searchParams.get('error_description')).to.match(/issued for another app/);
    expect(stolen.callback.searchParams.has('code')).to.equal(false);
    const { start, callback } = await launchApp(app, launch);
    expect((await exchange(app, start, callback)).patient).to.equal('pat-123');
  });

  it('refuses a launch value after 5 minutes by the app clock, and the launch scope without a launch value', async () => {
    const launch = await newLaunch();
    clock.advance(LAUNCH_LIFETIME_MS);
    expect((await launchApp(app, launch)).callback.searchParams.get('error_description')).to.match(/expired/);
    const browser = new Browser();
    const start = await startAuthorization(app, { scope: SCOPE, aud: FHIR });
    const callback = await untilCallback(browser, app, await browser.get(start.url.href));
    expect(callback.searchParams.get('error_description')).to.match(/launch scope needs the launch parameter/);
  });

  it("refuses the token when the launch is for another practice than the user's", async () => {
    const { start, callback } = await launchApp(app, await newLaunch({ practice: otherPracticeId }));
    const failure = await exchange(app, start, callback).then(() => undefined, (err: unknown) => err as { error?: string });
    expect(failure?.error).to.equal('invalid_grant');
  });

  it('gives launch values only to an authenticated first-party module, for an app registered for launch', async () => {
    const body = { client_id: 'growth', practice: practiceId, patient: 'pat-1' };
    expect((await askLaunch(body, basic('charting', 'wrong'))).status).to.equal(401);
    const growthSecret = (await server.createClient({ clientId: 'third-party', redirectUris: ['https://tp.example.org/cb'] })).clientSecret!;
    expect((await askLaunch(body, basic('third-party', growthSecret))).status).to.equal(401);
    expect((await askLaunch({ ...body, client_id: 'charting' })).body.error_description).to.match(/not an active app registered for the launch scope/);
    expect((await askLaunch({ ...body, patient: '../etc' })).status).to.equal(400);
    expect((await askLaunch({ ...body, smart_style_url: 'http://ehr.example.org/x' })).status).to.equal(400);
    expect((await askLaunch({ ...body, practice: 'nope' })).status).to.equal(400);
    expect(await server.models.SmartLaunch.countDocuments({ 'context.patient': { $in: ['pat-1', '../etc'] } })).to.equal(0);
  });
});
