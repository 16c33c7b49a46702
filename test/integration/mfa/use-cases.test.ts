// The four (d)(13) use cases that sign in (the fourth, password reset, is another issue's), end to
// end through openid-client as the app: who is asked for a code, where it goes, and what the ID
// token says about it (acr, amr, auth_time).
import { expect } from 'chai';
import { ACR_MFA, ACR_PASSWORD } from '../../../src/mfa/risk/acr.js';
import { auditEntryModel } from '../../../src/store/models/audit-entry.js';
import { Browser } from '../../helpers/browser.js';
import { authorize, browserAt, finishAt, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';

const PASSWORD = 'A long harbor passphrase 7';
const OFFICE = '203.0.113.10';

describe('mfa: sign-in use cases', () => {
  let bench: MfaBench;
  const audit = () => auditEntryModel(bench.server.connection);
  const lastDecision = async (sub: string) =>
    (await audit().findOne({ userSub: sub, event: { $in: ['mfa.required', 'mfa.waived'] } }).sort({ seq: -1 }).lean())!;

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'risk' });
  });
  after(() => bench.close());

  it('use case 1, by SMS: an unrecognized browser gets a texted code; auth_time is the time of the code', async () => {
    const user = await bench.server.createUser({ email: 'sms.uc1@clinic.test', phone: '+15551234821', password: PASSWORD });
    const browser = new Browser({ from: OFFICE });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(isCodePage(attempt.page), 'code page').to.equal(true);
    expect(attempt.page.html).to.include('by text message to').and.include('••• ••• 4821');
    expect(attempt.page.html).to.match(/inputmode="numeric"/).and.match(/name="_csrf"/);
    expect(attempt.page.html).to.include('Send the code by email instead');
    const { code } = await bench.sms.nextTo('+15551234821');

    bench.server.clock.advance(90_000); // the user types the code a minute and a half later
    const claims = await finishAt(browser, attempt, bench.charting, await submitCode(browser, attempt.page, code!));
    expect(claims).to.include({ acr: ACR_MFA, auth_time: Math.floor(bench.server.clock.now() / 1000) });
    expect(claims.amr).to.deep.equal(['pwd', 'sms', 'otp', 'mfa']);
    expect(browser.cookies().has('idp.device'), 'device cookie').to.equal(true);
    expect((await lastDecision(user.sub)).reasons).to.deep.equal(['new_device', 'new_ip']);

    // The same browser (its device cookie), a new browser session, the same network: no code.
    const again = browserAt('203.0.113.77', browser);
    const second = await passwordStep(again, bench.charting, user.email, PASSWORD);
    expect(isCodePage(second.page)).to.equal(false);
    const waived = await finishAt(again, second, bench.charting);
    expect(waived).to.include({ acr: ACR_PASSWORD });
    expect(waived.amr).to.deep.equal(['pwd', 'rba']);
    expect((await lastDecision(user.sub)).reasons).to.deep.equal(['known_device', 'known_network']);
  });

  it('use case 1, by email: a user with no phone gets the code by email', async () => {
    const user = await bench.server.createUser({ email: 'email.uc1@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: OFFICE });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(attempt.page.html).to.include('by email to').and.include('e•••@clinic.test');
    expect(attempt.page.html).not.to.include('text message instead');
    const mail = await bench.mail.nextTo(user.email);
    expect(mail.subject).to.match(/^\d{6} is your sign-in code/);
    const claims = await finishAt(browser, attempt, bench.charting, await submitCode(browser, attempt.page, mail.code!));
    expect(claims).to.include({ acr: ACR_MFA });
    expect(claims.amr).to.deep.equal(['pwd', 'otp', 'mfa']);
  });

  it('use case 2: a practice in `always` mode asks on a known device too, and a change applies to the next request', async () => {
    const practice = await bench.server.createPractice({ mfaPolicy: 'risk' });
    const user = await bench.server.createUser({ practiceId: practice._id, email: 'always.uc2@clinic.test', password: PASSWORD });
    // Make the device and network known with one two-step sign-in.
    const first = new Browser({ from: OFFICE });
    const attempt = await passwordStep(first, bench.charting, user.email, PASSWORD);
    await finishAt(first, attempt, bench.charting, await submitCode(first, attempt.page, (await bench.mail.nextTo(user.email)).code!));

    // A single-factor session on the known device...
    const browser = browserAt(OFFICE, first);
    const plain = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect((await finishAt(browser, plain, bench.charting)).acr).to.equal(ACR_PASSWORD);

    // ...is stepped up at its next request once the admin switches to `always`.
    await bench.server.idp.accounts.setPracticeMfaPolicy(practice._id, 'always');
    const sso = await authorize(browser, bench.billing);
    expect(isCodePage(sso.page), 'code asked of the active session').to.equal(true);
    expect((await lastDecision(user.sub)).reasons).to.deep.equal(['policy_always']);
    const claims = await finishAt(browser, sso, bench.billing, await submitCode(browser, sso.page, (await bench.mail.nextTo(user.email)).code!));
    expect(claims).to.include({ acr: ACR_MFA });

    // And a fresh sign-in on the known device is asked too.
    const fresh = browserAt(OFFICE, first);
    expect(isCodePage((await passwordStep(fresh, bench.charting, user.email, PASSWORD)).page)).to.equal(true);
    await bench.mail.nextTo(user.email);
  });

  it('use case 4: a known device signing in from a network unseen in 90 days is asked (new_ip)', async () => {
    const user = await bench.server.createUser({ email: 'remote.uc4@clinic.test', phone: '+15557654321', password: PASSWORD });
    const office = new Browser({ from: OFFICE });
    const attempt = await passwordStep(office, bench.charting, user.email, PASSWORD);
    await finishAt(office, attempt, bench.charting, await submitCode(office, attempt.page, (await bench.sms.nextTo('+15557654321')).code!));

    const home = browserAt('2001:db8:77:1::5', office);
    const remote = await passwordStep(home, bench.charting, user.email, PASSWORD);
    expect(isCodePage(remote.page)).to.equal(true);
    expect((await lastDecision(user.sub)).reasons).to.deep.equal(['new_ip']);
    expect(remote.page.html).to.include('network this user has not signed in from');
    const claims = await finishAt(home, remote, bench.charting, await submitCode(home, remote.page, (await bench.sms.nextTo('+15557654321')).code!));
    expect(claims.amr).to.deep.equal(['pwd', 'sms', 'otp', 'mfa']);

    // Its /64 is now part of the normal pattern: another address in it needs no code.
    const later = browserAt('2001:db8:77:1::99', office);
    expect((await finishAt(later, await passwordStep(later, bench.charting, user.email, PASSWORD), bench.charting)).amr).to.deep.equal(['pwd', 'rba']);
  });

  it('SSO: a second module reuses the MFA session without a code, and says so in its ID token', async () => {
    const user = await bench.server.createUser({ email: 'sso@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: OFFICE });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    const first = await finishAt(browser, attempt, bench.charting, await submitCode(browser, attempt.page, (await bench.mail.nextTo(user.email)).code!));
    const sso = await authorize(browser, bench.billing, { acr_values: ACR_MFA, max_age: '600' });
    expect(isCodePage(sso.page)).to.equal(false);
    const claims = await finishAt(browser, sso, bench.billing);
    expect(claims).to.include({ acr: ACR_MFA, auth_time: first.auth_time });
  });
});
