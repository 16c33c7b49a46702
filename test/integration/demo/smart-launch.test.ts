/**
 * `npm start`'s SMART demo against a real provider and store: the charting module (the demo EHR)
 * EHR-launches the demo SMART app for a made-up patient, the app completes the authorization with
 * PKCE and shows the launch context; the app's standalone launch goes through the charting module's
 * patient picker; a cancelled picker and a foreign `iss` end in a refusal.
 */
import { expect } from 'chai';
import { createServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { DemoModules } from '../../../src/demo/index.js';
import { DEMO_PRACTICE_NAME, DEMO_USERS } from '../../../src/demo/seed.js';
import { DEMO_CLINICIAN_FHIR_USER, DEMO_FHIR, DEMO_SMART_APP } from '../../../src/demo/smart-seed.js';
import { startDemo } from '../../../src/demo/start.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { Browser, formsOf, type Page } from './browser.js';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Text of one row of the SMART app's launch context table. */
function contextCell(html: string, name: string): string | undefined {
  return new RegExp(`<tr data-context="${name}"><th scope="row">[^<]*</th><td>([^<]*)</td>`).exec(html)?.[1];
}

describe('demo: EHR launch from charting and standalone launch of the demo SMART app', () => {
  let idp: TestServer;
  let demo: DemoModules;
  let chartingUrl: string;
  let appUrl: string;
  const browser = new Browser();

  /** Approves the consent page when the provider shows one (the SMART app is not a first-party module). */
  const throughConsent = async (page: Page): Promise<Page> => {
    const consent = formsOf(page.html).find((form) => form.action.endsWith('/consent'));
    return consent ? browser.submit(page, consent, { decision: 'approve' }) : page;
  };

  before(async () => {
    idp = await startServer();
    const [charting, billing, smartApp] = await Promise.all([freePort(), freePort(), freePort()]);
    chartingUrl = `http://localhost:${charting}`;
    appUrl = `http://localhost:${smartApp}`;
    const config = { ...idp.config, nodeEnv: 'development' as const, demoPorts: { charting, billing, smartApp } };
    // The seed finds the demo practice by name: made here without MFA, the sign-in is password only.
    await idp.createPractice({ name: DEMO_PRACTICE_NAME, mfaPolicy: 'off' });
    demo = await startDemo(config, idp.idp, { info() {}, warn() {}, error() {} }, () => {});
    // The demo clinician signs in to charting.
    const loginPage = await browser.get(`${chartingUrl}/login`);
    const loginForm = formsOf(loginPage.html).find((form) => form.inputs.some((input) => input.type === 'password'))!;
    const signedIn = await browser.submit(loginPage, loginForm, { email: DEMO_USERS.clinician.email, password: DEMO_USERS.clinician.password });
    expect(signedIn.url, signedIn.html.slice(0, 400)).to.equal(`${chartingUrl}/`);
  });

  after(async () => {
    await demo?.close();
    await idp?.close();
  });

  it('registers the demo SMART app as a public SMART client and the made-up FHIR server with its picker', async () => {
    const app = await idp.models.Client.findById(DEMO_SMART_APP.clientId).lean();
    expect(app).to.deep.include({ authMethod: 'none', redirectUris: [`${appUrl}/callback`] });
    expect(app?.smartScopes).to.have.members(['launch', 'launch/patient', 'patient/*.rs']);
    const fhir = await idp.models.Client.findById(DEMO_FHIR.id).lean();
    expect(fhir?.resourceServerUrl).to.equal(DEMO_FHIR.baseUrl);
    expect(fhir?.patientPicker?.url).to.equal(`${chartingUrl}/patient-picker`);
  });

  it('launches the SMART app from a patient chart and shows the launch context', async () => {
    const chart = await browser.get(`${chartingUrl}/`);
    const launchForm = formsOf(chart.html).find((form) => form.action === '/smart-launch');
    expect(launchForm, 'the chart offers the SMART app').to.exist;
    expect(chart.html).to.contain('Avery Madeup (fictional)');
    const afterLaunch = await browser.submit(chart, launchForm!, { patient: 'demo-pat-1' });
    expect(afterLaunch.hops[1]).to.match(new RegExp(`^${appUrl}/launch\\?iss=${encodeURIComponent(DEMO_FHIR.baseUrl)}&launch=`));
    const page = await throughConsent(afterLaunch);
    expect(page.url).to.equal(`${appUrl}/`);
    expect(contextCell(page.html, 'launch')).to.equal('EHR launch');
    expect(contextCell(page.html, 'patient')).to.equal('demo-pat-1');
    expect(contextCell(page.html, 'encounter')).to.equal('demo-enc-101');
    expect(contextCell(page.html, 'fhirUser')).to.equal(`${DEMO_FHIR.baseUrl}/${DEMO_CLINICIAN_FHIR_USER}`);
    // The token response's scope is the access token's, for the FHIR server (openid fhirUser went to the ID token).
    expect(contextCell(page.html, 'scope')?.split(' ')).to.include.members(['launch', 'patient/*.rs']);
    expect(page.html).to.match(/id="patient-banner"[^>]*>Patient: <strong>demo-pat-1<\/strong>/);
  });

  it('does a standalone launch through the charting module\'s patient picker', async () => {
    let page = await throughConsent(await browser.get(`${appUrl}/standalone`));
    expect(page.url).to.match(new RegExp(`^${chartingUrl}/patient-picker\\?`));
    expect(page.html).to.contain('Jordan Placeholder (fictional)');
    const picker = formsOf(page.html).find((form) => form.action === '/patient-picker')!;
    page = await browser.submit(page, picker, { patient: 'demo-pat-2' });
    expect(page.hops.some((hop) => /\/interaction\/[^/]+\/patient\?selection=/.test(hop))).to.equal(true);
    expect(page.url).to.equal(`${appUrl}/`);
    expect(contextCell(page.html, 'launch')).to.equal('standalone launch');
    expect(contextCell(page.html, 'patient')).to.equal('demo-pat-2');
    expect(contextCell(page.html, 'need_patient_banner')).to.equal('true');
    expect(contextCell(page.html, 'scope')?.split(' ')).to.include('launch/patient');
  });

  it('shows access_denied when the picker is cancelled, and refuses a launch naming another FHIR server', async () => {
    const pickerPage = await throughConsent(await browser.get(`${appUrl}/standalone`));
    const picker = formsOf(pickerPage.html).find((form) => form.action === '/patient-picker')!;
    const cancelled = await browser.submit(pickerPage, picker, { cancel: '1' });
    expect(cancelled.status).to.equal(400);
    expect(cancelled.html).to.contain('access_denied');
    const foreign = await browser.get(`${appUrl}/launch?iss=${encodeURIComponent('https://evil.example.org/fhir')}&launch=x`);
    expect(foreign.status).to.equal(400);
    expect(foreign.hops).to.have.length(1);
  });

  it('refuses to send a selection anywhere but the provider\'s interaction pages', async () => {
    const res = await browser.get(`${chartingUrl}/patient-picker?state=s&return_uri=${encodeURIComponent('https://evil.example.org/interaction/x/patient')}`);
    expect(res.status).to.equal(400);
    const form = new URLSearchParams({ state: 's', return_uri: 'https://evil.example.org/interaction/x/patient', patient: 'demo-pat-1' });
    const post = await browser.send(`${chartingUrl}/patient-picker`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(post.status).to.equal(400);
    expect(post.headers.get('location')).to.equal(null);
  });
});
