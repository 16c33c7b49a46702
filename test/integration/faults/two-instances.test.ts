// Scale-out: two provider instances on one store behind one issuer name, and a user whom the load
// balancer moves to the other instance at every step of sign-in and MFA, then of the token's life:
//   authorize A → password B → code sent A → code entered B → token A → refresh B → userinfo A → logout B
// (test/integration/oidc/continuity.test.ts and mfa/delivery-and-instances.test.ts check single
// hand-overs; this walks the whole life of a sign-in.)
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { ACR_MFA } from '../../../src/mfa/risk/acr.js';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { FakeClock } from '../../helpers/clock.js';
import { isCodePage, REDIRECT, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { startAuthorization } from '../../helpers/rp.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';

const PASSWORD = 'Two doors one house 3';

describe('faults: two instances on one store, the user moved at every step', function () {
  this.timeout(30_000);
  let store: StoreUnderTest;
  let a: MfaBench;
  let b: MfaBench;
  const clock = new FakeClock(Date.now());

  before(async () => {
    store = await storeUnderTest();
    a = await startMfaBench({ store, clock, mfaPolicy: 'always' });
    b = await startMfaBench({ store, clock, mfaPolicy: 'always', issuer: a.server.issuer, shared: a });
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await store?.close();
  });

  /** The same request, sent by the balancer to one instance or the other. */
  const to = (instance: MfaBench, url: string) => {
    const target = new URL(url);
    target.host = new URL(instance.server.url('/')).host;
    return target.href;
  };
  const on = (instance: MfaBench, page: Page): Page => ({ ...page, url: to(instance, page.url) });
  async function followOn(instance: MfaBench, browser: Browser, page: Page): Promise<Page> {
    let current = page;
    while (current.location && !current.location.startsWith(REDIRECT)) current = await browser.get(to(instance, current.location));
    return current;
  }
  async function tokenAt(instance: MfaBench, form: Record<string, string>) {
    const res = await fetch(instance.server.url('/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: 'charting', ...form }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }

  it('signs in with a code, refreshes, reads userinfo and signs out, alternating instances', async () => {
    const user = await a.server.createUser({ email: 'lena.park@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: '198.51.100.100' });

    // authorize on A
    const start = await startAuthorization(a.charting, { scope: 'openid email offline_access', prompt: 'consent' });
    const login = await followOn(a, browser, await browser.get(start.url.href));
    expect(login.html).to.include('autocomplete="current-password"');

    // password on B
    const afterPassword = await browser.post(to(b, formAction(login, '/login')), { _csrf: field(login.html, '_csrf'), email: user.email, password: PASSWORD });
    expect(afterPassword.status).to.equal(303);

    // the code page, which sends the code, on A
    const codePage = await followOn(a, browser, afterPassword);
    expect(isCodePage(codePage)).to.equal(true);
    expect(new URL(codePage.url).host).to.equal(new URL(a.server.url('/')).host);
    const { code } = await a.mail.nextTo(user.email);

    // the code entered on B (and the rest of the redirects there)
    const callback = await followOn(b, browser, await submitCode(browser, on(b, codePage), code!));
    const authorizationCode = new URL(callback.location!).searchParams.get('code')!;

    // token exchange on A
    const issued = await tokenAt(a, { grant_type: 'authorization_code', code: authorizationCode, redirect_uri: REDIRECT, code_verifier: start.verifier });
    expect(issued.status, JSON.stringify(issued.body)).to.equal(200);
    expect(decodeJwt(issued.body.id_token!)).to.include({ sub: user.sub, acr: ACR_MFA, iss: a.server.issuer, nonce: start.nonce });

    // refresh on B
    const refreshed = await tokenAt(b, { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token! });
    expect(refreshed.status, JSON.stringify(refreshed.body)).to.equal(200);
    expect(refreshed.body.refresh_token).to.be.a('string').and.not.equal(issued.body.refresh_token);

    // userinfo on A
    const info = await fetch(a.server.url('/me'), { headers: { authorization: `Bearer ${refreshed.body.access_token}`, accept: 'application/json' } });
    expect(info.status).to.equal(200);
    expect(await info.json()).to.include({ sub: user.sub, email: user.email });

    // The rotated-away refresh token is spent on every instance (and its reuse revokes the grant).
    expect((await tokenAt(a, { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token! })).body.error).to.equal('invalid_grant');

    // logout on B
    const endSession = new URL(to(b, `${a.server.issuer}/session/end`));
    endSession.searchParams.set('id_token_hint', refreshed.body.id_token!);
    // These test modules have no back-channel logout, so their ID tokens carry no `sid`: the hint
    // cannot name this browser's session, and the sign-out is confirmed on the page (src/sessions/sign-out.ts).
    const confirm = await followOn(b, browser, await browser.get(endSession.href));
    expect(confirm.html).to.include('name="xsrf"');
    const done = await followOn(b, browser, await browser.post(to(b, `${a.server.issuer}/session/end/confirm`), { xsrf: field(confirm.html, 'xsrf'), logout: 'yes' }));
    expect(done.html).to.include('You are signed out');

    // ...which every instance knows: A asks for the password again.
    const again = await followOn(a, browser, await browser.get((await startAuthorization(a.charting)).url.href));
    expect(again.html).to.include('autocomplete="current-password"');
  });
});
