// The provider restarts between the password and the code: the new process (same store, same
// issuer name) picks the sign-in up from the store, sends the code and finishes it.
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { ACR_MFA } from '../../../src/mfa/risk/acr.js';
import { Browser, type Page } from '../../helpers/browser.js';
import { FakeClock } from '../../helpers/clock.js';
import { startMailCatcher, type MailCatcher } from '../../helpers/mail-catcher.js';
import { isCodePage, REDIRECT, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { startAuthorization, submitLogin } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { startSmsCatcher, type SmsCatcher } from '../../helpers/sms-catcher.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';

const PASSWORD = 'Rebooted in the middle 6';

describe('faults: the provider restarts in the middle of a sign-in', function () {
  this.timeout(30_000);
  let store: StoreUnderTest;
  let shared: { mail: MailCatcher; sms: SmsCatcher };
  const benches: MfaBench[] = [];
  const servers: TestServer[] = [];
  const clock = new FakeClock(Date.now());

  before(async () => {
    store = await storeUnderTest();
    shared = { mail: await startMailCatcher(), sms: await startSmsCatcher() };
  });
  after(async () => {
    for (const bench of benches) await bench.close();
    for (const server of servers) await server.close();
    await Promise.all([shared?.mail.stop(), shared?.sms.stop()]);
    await store?.close();
  });

  it('after the password, before the code: the restarted provider sends the code and the user finishes', async () => {
    const before = await startMfaBench({ store, clock, mfaPolicy: 'always', shared });
    benches.push(before);
    const user = await before.server.createUser({ email: 'mia.santos@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: '198.51.100.90' });
    const start = await startAuthorization(before.charting);
    const login = await browser.follow(await browser.get(start.url.href));
    const afterPassword = await submitLogin(browser, login, user.email, PASSWORD);
    expect(afterPassword.status, 'the password was accepted').to.equal(303);
    expect(shared.mail.messages.filter((mail) => mail.to.includes(user.email)), 'no code yet').to.have.length(0);

    await before.close();
    // Not a bench: its relying parties would look the issuer up at the address that just went away.
    const after = await startServer({
      store, clock, mfaPolicy: 'always', issuer: before.server.issuer,
      env: { ...shared.mail.env(), ...shared.sms.env(), TRUSTED_PROXIES: '127.0.0.1' },
    });
    servers.push(after);
    // Same name, new process: the browser's next requests reach the new instance.
    const restarted = (url: string) => url.replace(new URL(before.server.issuer).host, new URL(after.url('/')).host);
    const follow = async (page: Page) => {
      let current = page;
      while (current.location && !current.location.startsWith(REDIRECT)) current = await browser.get(restarted(current.location));
      return current;
    };

    const codePage = await follow(afterPassword);
    expect(isCodePage(codePage), codePage.html).to.equal(true);
    const { code } = await shared.mail.nextTo(user.email);
    const callback = await follow(await submitCode(browser, codePage, code!));
    const res = await fetch(after.url('/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        client_id: 'charting', grant_type: 'authorization_code', redirect_uri: REDIRECT,
        code: new URL(callback.location!).searchParams.get('code')!, code_verifier: start.verifier,
      }),
    });
    const tokens = (await res.json()) as { id_token: string };
    expect(res.status, JSON.stringify(tokens)).to.equal(200);
    expect(decodeJwt(tokens.id_token)).to.include({ sub: user.sub, acr: ACR_MFA, iss: before.server.issuer, nonce: start.nonce });
  });
});
