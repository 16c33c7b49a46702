// The phishing-resistant level through openid-client as the app: advertised in discovery; asked
// with acr_values (or an essential acr claim) it is a step-up nothing but a passkey satisfies: no
// code is sent or checked, an MFA session is not enough, and a forged code or authenticator-app
// form does not complete the sign-in. (The passkey itself: test/browser/passkeys.test.ts.)
import { expect } from 'chai';
import { ACR_MFA, ACR_PHR } from '../../../src/mfa/risk/acr.js';
import { Browser, field, formAction } from '../../helpers/browser.js';
import { authorize, finishAt, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { PASSWORD } from '../account/bench.js';
import { appCode, enrolAuthenticator } from './bench.js';

describe('factors: phishing-resistant acr (urn:ehr-idp:acr:phr)', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always' });
  });
  after(() => bench.close());

  const completions = (sub: string) => bench.server.models.AuditEntry.countDocuments({ userSub: sub, event: 'signin.completed' });

  it('is in discovery', async () => {
    const discovery = await (await fetch(bench.server.url('/.well-known/openid-configuration'))).json() as { acr_values_supported: string[] };
    expect(discovery.acr_values_supported).to.include(ACR_PHR).and.include(ACR_MFA);
  });

  for (const [how, params] of [
    ['acr_values', { acr_values: ACR_PHR }],
    ['an essential acr claim', { claims: JSON.stringify({ id_token: { acr: { essential: true, value: ACR_PHR } } }) }],
  ] as const) {
    it(`asked with ${how}: no code is sent or checked, and a forged authenticator-app form does not sign in`, async () => {
      const user = await bench.server.createUser({ email: `phr.${how.length}@clinic.test`, password: PASSWORD });
      const key = await enrolAuthenticator(bench, new Browser(), user);
      bench.server.clock.advance(60_000);
      const before = await completions(user.sub);
      const mails = bench.mail.messages.length;
      const browser = new Browser();
      const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD, params);
      expect(attempt.page.html).to.include('asks for a passkey or security key, and none is set up');
      expect(attempt.page.html).not.to.include('name="code"');
      expect(bench.mail.messages.length, 'no code sent').to.equal(mails);
      const action = (name: string) => formAction(attempt.page, '/abort').replace(/\/abort$/, `/${name}`);
      const csrf = field(attempt.page.html, '_csrf');
      await browser.post(action('verify-factor'), { _csrf: csrf, factor: 'totp', code: appCode(bench, key) });
      await browser.post(action('verify'), { _csrf: csrf, code: '123456' });
      await browser.post(action('resend'), { _csrf: csrf, channel: 'email' });
      expect(await completions(user.sub), 'not signed in').to.equal(before);
      expect(bench.mail.messages.length, 'still no code sent').to.equal(mails);
    });
  }

  it('an MFA session is stepped up, not reused; an app accepting "mfa phr" is satisfied by a code', async () => {
    const user = await bench.server.createUser({ email: 'phr.session@clinic.test', password: PASSWORD });
    const browser = new Browser();
    const first = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(isCodePage(first.page)).to.equal(true);
    const mail = await bench.mail.nextTo(user.email);
    expect((await finishAt(browser, first, bench.charting, await submitCode(browser, first.page, mail.code!))).acr).to.equal(ACR_MFA);

    const stepUp = await authorize(browser, bench.billing, { acr_values: ACR_PHR });
    expect(stepUp.page.status).to.equal(200);
    expect(stepUp.page.html).to.include('asks for a passkey or security key');
    const either = await authorize(browser, bench.billing, { acr_values: `${ACR_MFA} ${ACR_PHR}` });
    expect((await finishAt(browser, either, bench.billing)).acr).to.equal(ACR_MFA);
  });
});
