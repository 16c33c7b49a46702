/**
 * The demo EHR modules against a real provider and store: one sign-in serves charting and billing
 * (SSO), "Sign out everywhere" in charting ends billing's session through back-channel logout, and a
 * forged logout token ends nothing.
 */
import { expect } from 'chai';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { DemoModules } from '../../../src/demo/index.js';
import { startDemoPair } from '../../helpers/demo-modules.js';
import { BACKCHANNEL_LOGOUT_EVENT } from '../../../src/demo/backchannel.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { Browser, claimCell, formsOf, type Page } from './browser.js';

const PASSWORD = 'A long harbor passphrase 4 checks';

describe('demo modules: SSO and back-channel logout', () => {
  let idp: TestServer;
  let demo: DemoModules;
  let charting: DemoModules['modules'][number];
  let billing: DemoModules['modules'][number];
  let email: string;
  /** What the provider reports when a back-channel call fails (it never tells the browser). */
  const backchannelErrors: string[] = [];

  before(async () => {
    idp = await startServer();
    idp.provider.on('backchannel.error', (_ctx: unknown, error: Error, client: { clientId: string }) => {
      backchannelErrors.push(`${client.clientId}: ${error.message} (${String((error.cause as Error | undefined)?.message ?? '')})`);
    });
    email = (await idp.createUser({ password: PASSWORD, name: 'Dr Ada Demo' })).email;
    ({ demo, charting, billing } = await startDemoPair(idp));
  });

  after(async () => {
    await demo?.close();
    await idp?.close();
  });

  it('signs in once, serves both modules, and signs out of both', async () => {
    const browser = new Browser();
    expect((await browser.get(`${charting.url}/`)).html).to.contain('id="signed-out"');

    // Charting: the provider asks for the password, then the claims page shows how and when.
    const loginPage = await browser.get(`${charting.url}/login`);
    expect(loginPage.url).to.match(new RegExp(`^${idp.issuer}/interaction/`));
    const loginForm = formsOf(loginPage.html).find((form) => form.inputs.some((input) => input.type === 'password'));
    expect(loginForm, 'login form').to.exist;
    expect(loginForm!.fields._csrf, 'CSRF field').to.be.a('string').and.not.empty;
    const chartingPage = await browser.submit(loginPage, loginForm!, { email, password: PASSWORD });
    expect(chartingPage.url).to.equal(`${charting.url}/`);
    expectSignedIn(chartingPage);
    expect(chartingPage.html).to.contain('Signed in as <strong>Dr Ada Demo</strong>');
    expect(claimCell(chartingPage.html, 'roles')).to.contain('clinician');
    expect(claimCell(chartingPage.html, 'practice')).to.contain('Test Practice');
    expect(chartingPage.html).to.contain(billing.url); // peer link
    expect(chartingPage.html).to.contain(`href="${idp.issuer}/account"`); // the provider's settings

    // Billing: straight back from the provider, no login page on the way (SSO).
    const billingPage = await browser.get(`${billing.url}/login`);
    expect(billingPage.hops.some((hop) => hop.includes('/interaction/')), billingPage.hops.join(' -> ')).to.equal(false);
    expect(billingPage.url).to.equal(`${billing.url}/`);
    expectSignedIn(billingPage);
    expect(claimCell(billingPage.html, 'auth_time')).to.equal(claimCell(chartingPage.html, 'auth_time'));

    // "Sign out everywhere" in charting (with its id_token_hint) -> signed out of both modules at
    // once: the provider asks nothing (issue 12.7; src/sessions/sign-out.ts).
    const logoutForm = formsOf(chartingPage.html).find((form) => form.action === '/logout');
    const afterLogout = await browser.submit(chartingPage, logoutForm!);
    expect(afterLogout.hops.some((hop) => hop.includes('/session/end/confirm')), afterLogout.hops.join(' -> ')).to.equal(false);
    expect(afterLogout.url).to.equal(charting.postLogoutRedirectUri);
    expect(afterLogout.html).to.contain('id="signed-out"');

    // Billing never saw the browser during logout: only the provider's back-channel call ended it.
    expect(backchannelErrors, 'back-channel logout calls').to.deep.equal([]);
    expect((await browser.get(`${billing.url}/`)).html).to.contain('id="signed-out"');
    // And the provider session is gone too: signing in again asks for the password.
    expect((await browser.get(`${billing.url}/login`)).url).to.match(new RegExp(`^${idp.issuer}/interaction/`));
  });

  it('answers a forged logout token with 400 and ends no session', async () => {
    const browser = new Browser();
    const loginPage = await browser.get(`${billing.url}/login`);
    const loginForm = formsOf(loginPage.html).find((form) => form.inputs.some((input) => input.type === 'password'))!;
    const billingPage = await browser.submit(loginPage, loginForm, { email, password: PASSWORD });
    expectSignedIn(billingPage);
    const sid = claimCell(billingPage.html, 'sid')!;
    const sub = claimCell(billingPage.html, 'sub')!;

    // Right claims, right kid, wrong key: only the signature gives it away.
    const { kid } = (await (await fetch(idp.url('/jwks'))).json() as { keys: Array<{ kid: string }> }).keys[0]!;
    const forger = await generateKeyPair('RS256');
    expect(await exportJWK(forger.publicKey)).to.have.property('n'); // a real, different RSA key
    const forged = await new SignJWT({ sid, events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'logout+jwt' })
      .setIssuer(idp.issuer).setAudience('demo-billing').setSubject(sub)
      .setIssuedAt().setExpirationTime('2 minutes').setJti('forged-1')
      .sign(forger.privateKey);

    const response = await fetch(billing.backchannelLogoutUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: forged }),
    });
    expect(response.status).to.equal(400);
    expect(await response.json()).to.deep.equal({ error: 'invalid_request', error_description: 'logout_token signature is invalid' });
    expectSignedIn(await browser.get(`${billing.url}/`));
  });
});

function expectSignedIn(page: Page): void {
  expect(page.status, page.html.slice(0, 500)).to.equal(200);
  expect(page.html).to.contain('id="signed-in"');
  expect(claimCell(page.html, 'acr')).to.be.a('string').and.not.empty;
  expect(claimCell(page.html, 'amr')).to.contain('pwd');
  expect(claimCell(page.html, 'auth_time')).to.match(/^\d+ \(\d{4}-\d\d-\d\dT[\d:.]+Z\)$/);
  expect(claimCell(page.html, 'sid')).to.be.a('string').and.not.empty;
}
