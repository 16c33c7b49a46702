// Standalone launch with the EHR's patient picker: an app asks for `launch/patient` without a launch
// value; the provider sends the browser to the FHIR server's picker with a single-use state; the
// test plays the picker and returns a selection signed with the key registered for it. Every way of
// getting a patient in without that (forged, unsigned, replayed, for another interaction, expired,
// wrong audience) is refused with a page; a cancel is access_denied to the app.
import { expect } from 'chai';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { hashClientSecret } from '../../../src/oidc/clients.js';
import { setPatientPicker } from '../../../src/smart/picker/registration.js';
import { SELECTION_TYP } from '../../../src/smart/picker/selection.js';
import { addResourceServer } from '../../../src/smart/resource-servers.js';
import { Browser, type Page } from '../../helpers/browser.js';
import { FakeClock } from '../../helpers/clock.js';
import { exchange, REDIRECT_URI, relyingParty, startAuthorization, submitLogin, untilCallback, type AuthorizationStart, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const PASSWORD = 'Correct horse, battery 9 staples';
const FHIR = 'https://fhir.example.org/r4';
const PICKER = 'https://ehr.example.org/patient-picker';
const SCOPE = 'openid fhirUser launch/patient patient/*.rs';

describe('smart: standalone launch with the patient picker', () => {
  let server: TestServer;
  let app: RelyingParty;
  let email: string;
  let pickerKey: CryptoKey;
  let strangerKey: CryptoKey;
  const clock = new FakeClock(Date.now());
  const seconds = () => Math.floor(clock.now() / 1000);

  /** The app's authorization request, signed in on the way, up to the redirect to the picker. */
  const toPicker = async (browser = new Browser(), signIn = true) => {
    const start = await startAuthorization(app, { scope: SCOPE, aud: FHIR });
    let page = await browser.follow(await browser.get(start.url.href), PICKER);
    if (signIn && !page.location?.startsWith(PICKER)) page = await browser.follow(await submitLogin(browser, page, email, PASSWORD), PICKER);
    expect(page.location, `${page.status} ${page.url}`).to.match(new RegExp(`^${PICKER}\\?`));
    const sent = new URL(page.location!).searchParams;
    return { browser, start, state: sent.get('state')!, returnUri: sent.get('return_uri')!, sent };
  };
  /** What a picker signs: the test is the picker. */
  const selection = (state: string, o: { key?: CryptoKey; claims?: Record<string, unknown>; header?: Record<string, unknown>; iss?: string; aud?: string; iat?: number; exp?: number } = {}) =>
    new SignJWT({ state, patient: 'pat-42', encounter: 'enc-7', ...o.claims })
      .setProtectedHeader({ alg: 'ES256', typ: SELECTION_TYP, kid: 'picker-1', ...o.header })
      .setIssuer(o.iss ?? 'ehr-fhir').setAudience(o.aud ?? server.issuer)
      .setIssuedAt(o.iat ?? seconds()).setExpirationTime(o.exp ?? seconds() + 120)
      .sign(o.key ?? pickerKey);
  const answer = (trip: { browser: Browser; returnUri: string }, query: Record<string, string>) => trip.browser.get(`${trip.returnUri}?${new URLSearchParams(query)}`);
  const toApp = (browser: Browser, page: Page) => untilCallback(browser, app, page);
  const expectRefusal = (page: Page, words: RegExp) => {
    expect(page.status, page.html.slice(0, 300)).to.equal(400);
    expect(page.html).to.match(words);
    expect(page.location).to.equal(null);
  };

  before(async () => {
    server = await startServer({ clock });
    const practice = await server.createPractice({ name: 'Riverside' });
    const user = await server.createUser({ practiceId: practice._id, password: PASSWORD });
    email = user.email;
    await server.models.User.updateOne({ sub: user.sub }, { $set: { fhirUser: 'Practitioner/dr-1' } });
    const deps = { models: server.models, hashSecret: hashClientSecret };
    await addResourceServer(deps, { id: 'ehr-fhir', name: 'EHR FHIR', baseUrl: FHIR });
    await addResourceServer(deps, { id: 'other-fhir', name: 'Other FHIR', baseUrl: 'https://other.example.org/fhir' });
    const pair = await generateKeyPair('ES256');
    pickerKey = pair.privateKey;
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'picker-1', alg: 'ES256', use: 'sig' };
    await setPatientPicker({ models: server.models, production: false }, 'ehr-fhir', { url: PICKER, jwks: { keys: [jwk] } });
    const growth = await server.createClient({ clientId: 'growth', firstParty: true, redirectUris: [REDIRECT_URI], smartScopes: ['launch/patient', 'patient/*.rs'] });
    app = await relyingParty(server, 'growth', growth.clientSecret);
  });

  after(() => server.close());

  it('sends the browser to the picker and carries the signed choice to the token response and the JWT', async () => {
    const trip = await toPicker();
    expect(trip.state).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(trip.returnUri).to.match(new RegExp(`^${server.issuer}/interaction/[^/]+/patient$`));
    expect(Object.fromEntries(trip.sent)).to.deep.include({ client_id: 'growth', aud: FHIR, iss: server.issuer });
    const callback = await toApp(trip.browser, await answer(trip, { selection: await selection(trip.state) }));
    const tokens = await exchange(app, trip.start, callback);
    expect(tokens).to.deep.include({ patient: 'pat-42', encounter: 'enc-7', need_patient_banner: true });
    expect(decodeJwt(tokens.access_token)).to.deep.include({ aud: FHIR, patient: 'pat-42', encounter: 'enc-7', fhirUser: `${FHIR}/Practitioner/dr-1` });
  });

  it('asks the picker again on the next launch (a choice is for one authorization)', async () => {
    const browser = new Browser();
    const first = await toPicker(browser);
    await exchange(app, first.start, await toApp(browser, await answer(first, { selection: await selection(first.state) })));
    const second = await toPicker(browser, false);
    expect(second.state).to.not.equal(first.state);
  });

  it('refuses a forged, unsigned, mistyped or misaddressed selection, and then takes the genuine one', async () => {
    const trip = await toPicker();
    const [header, payload] = (await selection(trip.state)).split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: SELECTION_TYP })).toString('base64url')}.${payload}.`;
    const forged = [
      await selection(trip.state, { key: strangerKey }),
      unsigned,
      `${header}.${payload}.`,
      await selection(trip.state, { header: { typ: 'JWT' } }),
      await selection(trip.state, { aud: 'https://elsewhere.example.org' }),
      await selection(trip.state, { iss: 'other-fhir' }),
      'not-a-jws',
    ];
    for (const jws of forged) expectRefusal(await answer(trip, { selection: jws }), /could not be verified/);
    expectRefusal(await trip.browser.get(trip.returnUri), /could not be verified/);
    const tokens = await exchange(app, trip.start, await toApp(trip.browser, await answer(trip, { selection: await selection(trip.state) })));
    expect(tokens.patient).to.equal('pat-42');
  });

  it('refuses a replayed selection, and no second code comes of it', async () => {
    const trip = await toPicker();
    const jws = await selection(trip.state);
    const first = await answer(trip, { selection: jws });
    expect(first.status).to.equal(303);
    expectRefusal(await answer(trip, { selection: jws }), /already used/);
    const callback = await toApp(trip.browser, first);
    expect((await exchange(app, trip.start, callback)).patient).to.equal('pat-42');
    // After the code: the interaction is gone, the selection is worth nothing.
    const late = await answer(trip, { selection: jws });
    expect(late.status).to.equal(400);
    expect(late.location).to.equal(null);
  });

  it("refuses a selection made for another interaction, the same user's or another user's", async () => {
    const browser = new Browser();
    const mine = await toPicker(browser);
    const other = await toPicker(browser, false);
    expectRefusal(await answer(other, { selection: await selection(mine.state) }), /belongs to another sign-in/);
    // A victim's selection pasted into an attacker's own interaction (another browser, another session).
    const attacker = await toPicker(new Browser());
    const victim = await toPicker();
    expectRefusal(await answer(attacker, { selection: await selection(victim.state) }), /belongs to another sign-in/);
    // A newer trip to the picker (the interaction page opened again) replaces the older state.
    const reissued = await browser.get(other.returnUri.replace(/\/patient$/, ''));
    const newState = new URL(reissued.location!).searchParams.get('state')!;
    expectRefusal(await answer(other, { selection: await selection(other.state) }), /belongs to another sign-in/);
    expect((await answer(other, { selection: await selection(newState) })).status).to.equal(303);
  });

  it('refuses an expired selection by the app clock, and one that claims to live more than 5 minutes', async () => {
    const trip = await toPicker();
    const jws = await selection(trip.state);
    clock.advance(150_000);
    expectRefusal(await answer(trip, { selection: jws }), /has expired/);
    expectRefusal(await answer(trip, { selection: await selection(trip.state, { exp: seconds() + 301 }) }), /has expired/);
    expectRefusal(await answer(trip, { selection: await selection(trip.state, { iat: seconds() + 120, exp: seconds() + 180 }) }), /has expired/);
  });

  it('returns access_denied to the app when the picker is cancelled, only for the state it was sent', async () => {
    const elsewhere = await toPicker();
    const trip = await toPicker(elsewhere.browser, false);
    expectRefusal(await answer(trip, { error: 'access_denied', state: elsewhere.state }), /belongs to another sign-in/);
    expectRefusal(await answer(trip, { error: 'access_denied' }), /belongs to another sign-in/);
    const callback = await toApp(trip.browser, await answer(trip, { error: 'access_denied', state: trip.state }));
    expect(callback.searchParams.get('error')).to.equal('access_denied');
    expect(callback.searchParams.get('state')).to.equal(trip.start.state);
    expect(callback.searchParams.has('code')).to.equal(false);
  });

  it('answers invalid_scope when the FHIR server has no picker', async () => {
    await server.createClient({ clientId: 'growth-other', firstParty: true, redirectUris: [REDIRECT_URI], smartScopes: ['launch/patient', 'patient/*.rs'] });
    const other = await relyingParty(server, 'growth-other');
    const browser = new Browser();
    const start: AuthorizationStart = await startAuthorization(other, { scope: SCOPE, aud: 'https://other.example.org/fhir' });
    const callback = await untilCallback(browser, other, await submitLogin(browser, await browser.follow(await browser.get(start.url.href), other.redirectUri), email, PASSWORD));
    expect(callback.searchParams.get('error')).to.equal('invalid_scope');
    expect(callback.searchParams.get('error_description')).to.match(/patient picker/);
  });

  it('registers a picker only with an https URL (http on loopback in development) and public signing keys', async () => {
    const deps = { models: server.models, production: false };
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), alg: 'ES256' };
    const refusals: Array<[boolean, string, unknown, RegExp]> = [
      [false, 'http://ehr.example.org/picker', { keys: [publicJwk] }, /https/],
      [true, 'http://localhost:3001/picker', { keys: [publicJwk] }, /https/],
      [false, 'https://ehr.example.org/picker?x=1', { keys: [publicJwk] }, /without query/],
      [false, PICKER, { keys: [{ ...(await exportJWK(privateKey)), alg: 'ES256' }] }, /public keys only/],
      [false, PICKER, { keys: [{ kty: 'oct', k: 'c2VjcmV0', alg: 'HS256' }] }, /public keys only/],
      [false, PICKER, { keys: [{ ...publicJwk, alg: 'HS256' }] }, /names its alg/],
      [false, PICKER, { keys: [] }, /1 to 5/],
    ];
    for (const [production, url, jwks, words] of refusals) {
      const failure = await setPatientPicker({ ...deps, production }, 'other-fhir', { url, jwks }).then(() => undefined, (error: Error & { userMessage?: string }) => error.userMessage);
      expect(failure, url).to.match(words);
    }
    expect(await setPatientPicker(deps, 'other-fhir', { url: 'http://localhost:3001/picker', jwks: { keys: [publicJwk] } })).to.deep.equal({ after: 'http://localhost:3001/picker' });
    expect(await setPatientPicker(deps, 'other-fhir', undefined)).to.deep.equal({ before: 'http://localhost:3001/picker' });
    expect((await server.models.Client.findById('other-fhir').lean())?.patientPicker).to.equal(undefined);
  });
});
