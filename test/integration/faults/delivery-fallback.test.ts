// What test/integration/mfa/delivery-and-instances.test.ts does not cover: the mail server down
// (text offered instead), both providers down (a clear message, nothing half-written, and a code
// that works as soon as one comes back), and the audit entry every failure leaves.
import { expect } from 'chai';
import { ACR_MFA } from '../../../src/mfa/risk/acr.js';
import { Browser } from '../../helpers/browser.js';
import { finishAt, isCodePage, passwordStep, requestCode, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';

const PASSWORD = 'Carrier pigeons retired 9';

describe('faults: a code channel fails', function () {
  this.timeout(30_000);
  let bench: MfaBench;
  const failures = (userSub: string) => bench.server.models.AuditEntry
    .find({ userSub, event: { $in: ['mfa.code.sent', 'mfa.code.delivery_failed'] } }).sort({ seq: 1 }).lean();

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always' });
  });
  afterEach(() => {
    bench.mail.setFailure('none');
    bench.sms.setFailure('none');
  });
  after(() => bench.close());

  it('the mail server down: the user is told, offered a text, which works; the failure is audited', async () => {
    const user = await bench.server.createUser({ email: 'ana.reyes@clinic.test', phone: '+15550002222', password: PASSWORD });
    await bench.server.models.User.updateOne({ _id: user._id }, { $set: { mfaChannel: 'email' } });
    bench.mail.setFailure('down');
    const browser = new Browser({ from: '198.51.100.80' });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(attempt.page.status).to.equal(502);
    expect(attempt.page.html).to.include('We could not send you an email. You can get the code by text message instead')
      .and.include('Send the code by text message instead');
    expect(isCodePage(attempt.page), 'no code field while nothing was delivered').to.equal(false);

    const byText = await requestCode(browser, attempt.page, 'sms');
    expect(byText.status).to.equal(200);
    const { code } = await bench.sms.nextTo('+15550002222');
    const claims = await finishAt(browser, attempt, bench.charting, await submitCode(browser, byText, code!));
    expect(claims).to.include({ acr: ACR_MFA });

    const entries = await failures(user.sub);
    expect(entries.map((entry) => [entry.event, entry.outcome, entry.reasons, (entry.details as { channel?: string }).channel])).to.deep.equal([
      ['mfa.code.delivery_failed', 'failure', ['provider_unavailable'], 'email'],
      ['mfa.code.sent', 'success', [], 'sms'],
    ]);
  });

  it('both down: a clear message, no code and nothing counted; a new code works once a provider is back', async () => {
    const user = await bench.server.createUser({ email: 'ben.okafor@clinic.test', phone: '+15550003333', password: PASSWORD });
    bench.sms.setFailure('server-error');
    bench.mail.setFailure('down');
    const browser = new Browser({ from: '198.51.100.81' });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(attempt.page.status).to.equal(502);
    expect(attempt.page.html).to.include('We could not send a text to your phone. You can get the code by email instead');

    const byEmail = await requestCode(browser, attempt.page, 'email');
    expect(byEmail.status).to.equal(502);
    expect(byEmail.html).to.include('We could not send your code. Please try again in a few minutes, or ask your practice administrator for help.');
    expect(isCodePage(byEmail)).to.equal(false);

    // Nothing half-written: no send counted toward the throttle, no attempt, no lockout failure, no "sent" entry.
    const challenge = (await bench.server.models.OtpChallenge.findOne({ accountId: user.sub }).lean())!;
    expect(challenge).to.include({ attempts: 0, deliveryFailed: 'email' });
    expect(challenge.sends).to.deep.equal([]);
    expect((await bench.server.models.User.findById(user._id).lean())!.lockout.failures).to.equal(0);
    expect((await failures(user.sub)).map((entry) => [entry.event, (entry.details as { channel?: string }).channel])).to.deep.equal([
      ['mfa.code.delivery_failed', 'sms'],
      ['mfa.code.delivery_failed', 'email'],
    ]);

    bench.mail.setFailure('none');
    const again = await requestCode(browser, byEmail);
    expect(again.status, 'not throttled: nothing was delivered').to.equal(200);
    const { code } = await bench.mail.nextTo(user.email);
    const claims = await finishAt(browser, attempt, bench.charting, await submitCode(browser, again, code!));
    expect(claims).to.include({ acr: ACR_MFA });
  });
});
