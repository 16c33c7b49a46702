// Trusted IPs (practice-wide and per user, addresses and ranges, expiry) skip the code unless the
// practice says they do not bypass or the app asks for MFA; step-up from a single-factor session.
import { expect } from 'chai';
import { ACR_MFA, ACR_PASSWORD, MFA_ACR_ALIASES } from '../../../src/mfa/risk/acr.js';
import { Browser } from '../../helpers/browser.js';
import { authorize, finishAt, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';

const PASSWORD = 'A long harbor passphrase 7';

describe('mfa: trusted IPs and step-up', () => {
  let bench: MfaBench;
  let practiceId: import('mongoose').Types.ObjectId;

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'risk' });
    const practice = await bench.server.createPractice({ mfaPolicy: 'risk' });
    practiceId = practice._id;
    await bench.server.idp.mfa.trustedIps.add({ practiceId, entry: '198.51.100.0/24', description: 'Main office' });
    await bench.server.idp.mfa.trustedIps.add({ practiceId, entry: '2001:db8:aa::/48', description: 'Office IPv6' });
    await bench.server.idp.mfa.trustedIps.add({ practiceId, entry: '192.0.2.99', description: 'Old office', expiresAt: new Date(bench.server.clock.now() + 60_000) });
  });
  after(() => bench.close());

  const newUser = (email: string, extra: Record<string, unknown> = {}) => bench.server.createUser({ practiceId, email, password: PASSWORD, ...extra });

  it('a trusted practice range (v4 and v6) skips the code, even for a user with two-step on: amr pwd + rba', async () => {
    const user = await newUser('office@clinic.test');
    await bench.server.models.Membership.updateOne({ userId: user._id }, { $set: { mfaEnabled: true } });
    for (const ip of ['198.51.100.42', '2001:db8:aa:5::1']) {
      const browser = new Browser({ from: ip });
      const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
      expect(isCodePage(attempt.page), ip).to.equal(false);
      const claims = await finishAt(browser, attempt, bench.charting);
      expect(claims).to.include({ acr: ACR_PASSWORD });
      expect(claims.amr).to.deep.equal(['pwd', 'rba']);
    }
  });

  it('a trusted user IP skips the code for that user only; an expired entry no longer counts', async () => {
    const alice = await newUser('alice.home@clinic.test');
    const bob = await newUser('bob.home@clinic.test');
    await bench.server.idp.mfa.trustedIps.add({ practiceId, userId: alice._id, entry: '203.0.113.50', description: 'Alice at home' });
    const home = new Browser({ from: '203.0.113.50' });
    expect(isCodePage((await passwordStep(home, bench.charting, alice.email, PASSWORD)).page)).to.equal(false);
    expect(isCodePage((await passwordStep(new Browser({ from: '203.0.113.50' }), bench.charting, bob.email, PASSWORD)).page)).to.equal(true);

    expect(isCodePage((await passwordStep(new Browser({ from: '192.0.2.99' }), bench.charting, alice.email, PASSWORD)).page)).to.equal(false);
    bench.server.clock.advance(61_000);
    expect(isCodePage((await passwordStep(new Browser({ from: '192.0.2.99' }), bench.charting, alice.email, PASSWORD)).page)).to.equal(true);
  });

  it('no bypass when the practice turns it off, nor when the app asks for MFA (acr_values or essential acr)', async () => {
    const user = await newUser('careful@clinic.test');
    const requests: Record<string, string>[] = [
      { acr_values: ACR_MFA },
      { acr_values: MFA_ACR_ALIASES[0] },
      { claims: JSON.stringify({ id_token: { acr: { essential: true, value: MFA_ACR_ALIASES[1] } } }) },
    ];
    for (const params of requests) {
      const browser = new Browser({ from: '198.51.100.7' });
      const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD, params);
      expect(isCodePage(attempt.page), JSON.stringify(params)).to.equal(true);
      expect(attempt.page.html).to.include('The application asked for a two-step sign-in.');
      const { code } = await bench.mail.nextTo(user.email);
      const claims = await finishAt(browser, attempt, bench.charting, await submitCode(browser, attempt.page, code!));
      // The value the app asked for comes back (OIDC Core §5.5.1.1), an alias included.
      expect(claims).to.include({ acr: params.acr_values ?? MFA_ACR_ALIASES[1] });
    }

    await bench.server.models.Practice.updateOne({ _id: practiceId }, { $set: { trustedIpsBypass: false } });
    try {
      const attempt = await passwordStep(new Browser({ from: '198.51.100.8' }), bench.charting, user.email, PASSWORD);
      expect(isCodePage(attempt.page)).to.equal(true);
      await bench.mail.nextTo(user.email);
    } finally {
      await bench.server.models.Practice.updateOne({ _id: practiceId }, { $set: { trustedIpsBypass: true } });
    }
  });

  it('step-up: a single-factor session is asked for a code when a module asks for MFA, then holds it', async () => {
    const user = await newUser('stepup@clinic.test');
    const browser = new Browser({ from: '198.51.100.9' });
    const plain = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    const first = await finishAt(browser, plain, bench.charting);
    expect(first).to.include({ acr: ACR_PASSWORD });

    const stepUp = await authorize(browser, bench.billing, { acr_values: `${MFA_ACR_ALIASES[0]} ${ACR_PASSWORD}` });
    expect(isCodePage(stepUp.page), 'code page, without the password again').to.equal(true);
    bench.server.clock.advance(5_000);
    const { code } = await bench.mail.nextTo(user.email);
    const claims = await finishAt(browser, stepUp, bench.billing, await submitCode(browser, stepUp.page, code!));
    // Voluntary acr_values: the requested value the session holds exactly (here the alias).
    expect(claims).to.include({ acr: MFA_ACR_ALIASES[0], auth_time: Math.floor(bench.server.clock.now() / 1000) });
    expect(claims.amr).to.deep.equal(['pwd', 'otp', 'mfa']);

    // A voluntary request for less gets the stronger value the session holds (README's acr table).
    const voluntary = await authorize(browser, bench.charting, { acr_values: ACR_PASSWORD });
    expect(await finishAt(browser, voluntary, bench.charting)).to.include({ acr: ACR_MFA });

    // Held now: the next request for MFA within max_age is answered without a code...
    const again = await authorize(browser, bench.charting, { acr_values: ACR_MFA, max_age: '300' });
    expect(isCodePage(again.page)).to.equal(false);
    expect(await finishAt(browser, again, bench.charting)).to.include({ acr: ACR_MFA });
    // ...and prompt=login asks for the password, then the code again.
    const fresh = await authorize(browser, bench.charting, { acr_values: ACR_MFA, prompt: 'login' });
    expect(fresh.page.html).to.include('autocomplete="current-password"');
  });
});
