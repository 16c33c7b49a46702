// 12.4 and 21.3: one user gets at most 5 code messages in any 15 minutes, across new sign-ins,
// resends, password resets and phone verification; refused requests do not use the allowance.
// Texts go only to allowed regions and never to premium or special numbers; every send the
// provider was asked for counts, whatever it answered; a send that timed out counts as sent.
import { expect } from 'chai';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { isCodePage, passwordStep, requestCode, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { requestCode as requestResetCode } from '../password-reset/reset-bench.js';

const PASSWORD = 'A long harbor passphrase 7';
const MINUTE = 60_000;

describe('mfa: the per-user cap on code messages, and where texts may go', () => {
  let bench: MfaBench;
  let sequence = 0;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always', env: { SMS_TIMEOUT_MS: '300', ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' } });
  });
  afterEach(() => bench.sms.setFailure('none'));
  after(() => bench.close());

  const newUser = (extra: Record<string, unknown> = {}) => bench.server.createUser({ email: `cap${++sequence}@clinic.test`, password: PASSWORD, ...extra });
  const mailsTo = (email: string) => bench.mail.messages.filter((mail) => mail.to.includes(email)).length;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200)); // let a mail in flight arrive before counting

  it('new sign-ins do not send codes outside the cap: the 6th sign-in in a minute gets a clear 429 page and no email', async () => {
    const user = await newUser();
    for (let i = 0; i < 5; i++) {
      const attempt = await passwordStep(new Browser({ from: '198.51.100.70' }), bench.charting, user.email, PASSWORD);
      expect(isCodePage(attempt.page)).to.equal(true);
      await bench.mail.nextTo(user.email);
    }
    const sixth = await passwordStep(new Browser({ from: '198.51.100.70' }), bench.charting, user.email, PASSWORD);
    expect(sixth.page.status).to.equal(429);
    expect(sixth.page.html).to.include('You have asked for too many codes').and.match(/no new code can be sent for 15 minutes/);
    await settle();
    expect(mailsTo(user.email)).to.equal(5);

    // The window slides: 15 minutes after the first, one more may go.
    bench.server.clock.advance(15 * MINUTE + 1000);
    const later = await passwordStep(new Browser({ from: '198.51.100.70' }), bench.charting, user.email, PASSWORD);
    expect(isCodePage(later.page)).to.equal(true);
    await bench.mail.nextTo(user.email);
  });

  it('refused resend clicks do not use the allowance: after 20 refused clicks, 4 resends still go out, the 5th message is the last', async () => {
    const user = await newUser();
    const browser = new Browser({ from: '198.51.100.71' });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    await bench.mail.nextTo(user.email);
    for (let i = 0; i < 20; i++) expect((await requestCode(browser, attempt.page)).status).to.equal(429); // 30 s gap
    for (let i = 0; i < 4; i++) {
      bench.server.clock.advance(31_000);
      expect((await requestCode(browser, attempt.page)).status, `resend ${i + 1}`).to.equal(200);
      await bench.mail.nextTo(user.email);
    }
    // Five messages went out: a new sign-in (a fresh challenge) sends nothing more.
    bench.server.clock.advance(31_000);
    const next = await passwordStep(new Browser({ from: '198.51.100.71' }), bench.charting, user.email, PASSWORD);
    expect(next.page.status).to.equal(429);
    expect(next.page.html).to.include('You have asked for too many codes');
  });

  it('the cap holds across sign-in codes, phone verification and password reset; a capped reset looks the same and sends nothing', async () => {
    const user = await newUser();
    const browser = new Browser({ from: '198.51.100.72' });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    const signInCode = (await bench.mail.nextTo(user.email)).code!;
    await browser.follow(await browser.post(formAction(attempt.page, '/verify'), { _csrf: field(attempt.page.html, '_csrf'), code: signInCode }), bench.charting.redirectUri);
    const askPhoneCode = async () => {
      const form = await browser.get(bench.server.url('/account/phone'));
      return browser.post(formAction(form, '/account/phone'), { _csrf: field(form.html, '_csrf'), phone: '+15557654321' });
    };
    for (let i = 0; i < 3; i++) {
      expect((await askPhoneCode()).status, `phone code ${i + 1}`).to.equal(200);
      await bench.sms.nextTo('+15557654321');
      bench.server.clock.advance(31_000);
    }
    // The 5th message: a reset code.
    const resetter = new Browser({ from: '198.51.100.72' });
    const resetPage = await requestResetCode(bench.server, resetter, user.email);
    expect((await bench.mail.nextTo(user.email)).subject).to.match(/code/i);

    const refused = await askPhoneCode();
    expect(refused.status).to.equal(429);
    expect(refused.html).to.include('You have asked for too many codes');

    const again = await requestResetCode(bench.server, new Browser({ from: '198.51.100.72' }), user.email);
    expect(again.status).to.equal(resetPage.status);
    await settle();
    expect(bench.mail.messages.filter((mail) => mail.to.includes(user.email))).to.have.length(2);
  });

  it('texts go only to allowed regions: premium, toll-free, non-geographic and foreign numbers are refused with a reason and never reach the provider', async () => {
    const user = await newUser();
    const browser = new Browser({ from: '198.51.100.73' });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    const code = (await bench.mail.nextTo(user.email)).code!;
    await browser.follow(await browser.post(formAction(attempt.page, '/verify'), { _csrf: field(attempt.page.html, '_csrf'), code }), bench.charting.redirectUri);
    const before = bench.sms.attempts;
    const refusals: Record<string, RegExp> = {
      '+1 900 555 1234': /premium-rate/,
      '+1 202 976 1234': /premium exchanges/,
      '+1 800 555 1234': /toll-free/,
      '+1 500 555 0006': /personal-number/,
      '+1 876 555 1234': /JM numbers are not allowed/,
      '+882 123 456 789': /\+882 numbers are not allowed/,
      '+979 1234 5678': /not a possible phone number/,
    };
    for (const [phone, reason] of Object.entries(refusals)) {
      const form = await browser.get(bench.server.url('/account/phone'));
      const page: Page = await browser.post(formAction(form, '/account/phone'), { _csrf: field(form.html, '_csrf'), phone });
      expect(page.status, phone).to.equal(400);
      expect(page.html, phone).to.include('We cannot send text messages to this number').and.match(reason);
    }
    expect(bench.sms.attempts).to.equal(before);
  });

  it('a user whose stored number is premium gets no text at sign-in, even if an admin saved it', async () => {
    const user = await newUser({ phone: '+19005551234', mfaChannel: 'sms' });
    const before = bench.sms.attempts;
    const attempt = await passwordStep(new Browser({ from: '198.51.100.74' }), bench.charting, user.email, PASSWORD);
    expect(attempt.page.html).to.include('could not send a text');
    expect(bench.sms.attempts).to.equal(before);
  });

  it('failed sends count: a provider answering 500 or 400 gets at most 5 requests in 15 minutes from one user', async () => {
    const user = await newUser({ phone: '+15550107777', mfaChannel: 'sms' });
    const before = bench.sms.attempts;
    for (const [i, mode] of (['server-error', 'invalid-number', 'server-error', 'invalid-number', 'server-error', 'server-error', 'server-error'] as const).entries()) {
      bench.sms.setFailure(mode);
      const attempt = await passwordStep(new Browser({ from: '198.51.100.75' }), bench.charting, user.email, PASSWORD);
      expect(attempt.page.status, `sign-in ${i + 1}`).to.be.oneOf([502, 429, 200]);
    }
    expect(bench.sms.attempts - before).to.equal(5);
  });

  it('a send that timed out counts as sent: the code can be typed, and no second text goes out at once', async () => {
    const user = await newUser({ phone: '+15550001111', mfaChannel: 'sms' });
    bench.sms.setFailure('timeout');
    const before = bench.sms.attempts;
    const browser = new Browser({ from: '198.51.100.76' });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(isCodePage(attempt.page)).to.equal(true);
    expect(attempt.page.status).to.equal(200);
    const again = await requestCode(browser, attempt.page);
    expect(again.status).to.equal(429);
    expect(again.html).to.include('The last code we sent still works');
    expect(bench.sms.attempts - before).to.equal(1);
  });
});
