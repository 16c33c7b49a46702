// Delivery failures offer the other channel; two provider instances on one store share every code
// and counter; the development outbox page lets a newcomer read the code.
import { expect } from 'chai';
import { ACR_MFA } from '../../../src/mfa/risk/acr.js';
import { Browser } from '../../helpers/browser.js';
import { FakeClock } from '../../helpers/clock.js';
import { finishAt, isCodePage, passwordStep, requestCode, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { startServer } from '../../helpers/server.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';
import { relyingParty, startAuthorization, submitLogin } from '../../helpers/rp.js';

const PASSWORD = 'A long harbor passphrase 7';

describe('mfa: delivery, instances and the development outbox', () => {
  it('an SMS provider failure says so and offers email, which then works', async () => {
    const bench = await startMfaBench({ mfaPolicy: 'always' });
    try {
      const user = await bench.server.createUser({ email: 'fallback@clinic.test', phone: '+15550001111', password: PASSWORD });
      expect((await fetch(bench.server.url('/dev/outbox'))).status, 'no outbox once SMS and SMTP are set').to.equal(404);
      bench.sms.setFailure('server-error');
      const browser = new Browser({ from: '198.51.100.40' });
      const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
      expect(attempt.page.status).to.equal(502);
      expect(attempt.page.html).to.include('We could not send a text to your phone. You can get the code by email instead');
      expect(isCodePage(attempt.page), 'no code field while nothing was delivered').to.equal(false);

      const byEmail = await requestCode(browser, attempt.page, 'email');
      expect(byEmail.status).to.equal(200);
      expect(byEmail.html).to.include('by email to').and.include('f•••@clinic.test');
      const { code } = await bench.mail.nextTo(user.email);
      const claims = await finishAt(browser, attempt, bench.charting, await submitCode(browser, byEmail, code!));
      expect(claims).to.include({ acr: ACR_MFA });
      expect(claims.amr).to.deep.equal(['pwd', 'otp', 'mfa']);
    } finally {
      bench.sms.setFailure('none');
      await bench.close();
    }
  });

  describe('two instances on one store', () => {
    let store: StoreUnderTest;
    let first: MfaBench;
    let second: MfaBench;
    const clock = new FakeClock(Date.now());

    before(async () => {
      store = await storeUnderTest();
      first = await startMfaBench({ store, clock, mfaPolicy: 'always' });
      second = await startMfaBench({ store, clock, mfaPolicy: 'always', issuer: first.server.issuer, shared: first });
    });
    after(async () => {
      await second?.close();
      await first?.close();
      await store?.close();
    });

    const onSecond = (url: string) => url.replace(new URL(first.server.issuer).host, new URL(second.server.url('/')).host);

    it('a code sent by one instance is verified on the other, and wrong tries count across both', async () => {
      const user = await first.server.createUser({ email: 'twin@clinic.test', password: PASSWORD });
      const browser = new Browser({ from: '198.51.100.50' });
      const attempt = await passwordStep(browser, first.charting, user.email, PASSWORD);
      expect(isCodePage(attempt.page)).to.equal(true);
      const { code } = await first.mail.nextTo(user.email);
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');

      expect((await submitCode(browser, attempt.page, wrong)).html).to.include('4 tries left');
      const onOther = { ...attempt.page, url: onSecond(attempt.page.url), html: attempt.page.html };
      expect((await submitCode(browser, onOther, wrong)).html).to.include('3 tries left');
      let page = await submitCode(browser, onOther, code!);
      while (page.location && !page.location.startsWith(first.charting.redirectUri)) page = await browser.get(onSecond(page.location));
      const claims = await finishAt(browser, attempt, first.charting, page);
      expect(claims).to.include({ acr: ACR_MFA });
    });
  });

  it('development outbox: without SMS or SMTP the code is listed at /dev/outbox', async () => {
    const server = await startServer({ mfaPolicy: 'always', clock: new FakeClock(Date.now()) });
    try {
      await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: ['http://127.0.0.1:4/callback'] });
      const user = await server.createUser({ email: 'newcomer@clinic.test', password: PASSWORD });
      const rp = await relyingParty(server, 'charting');
      const browser = new Browser();
      const start = await startAuthorization(rp);
      const login = await browser.follow(await browser.get(start.url.href));
      const page = await browser.follow(await submitLogin(browser, login, user.email, PASSWORD));
      expect(isCodePage(page)).to.equal(true);
      const outbox = await browser.get(server.url('/dev/outbox'));
      expect(outbox.status).to.equal(200);
      expect(outbox.html).to.include('n•••@clinic.test').and.match(/\d{6} is your sign-in code/);
      expect(outbox.html).not.to.include('<script');
      browser.acceptLanguage = 'es-US,es;q=0.9';
      const spanish = await browser.get(server.url('/dev/outbox'));
      expect(spanish.html).to.include('<html lang="es"').and.include('Bandeja de salida de desarrollo').and.include('Correo electrónico')
        .and.not.include('Development outbox');
    } finally {
      await server.close();
    }
  });
});
