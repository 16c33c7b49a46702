// 12.2: every failed secret counts toward the account's lockout, and nothing but a complete sign-in
// (or an admin's unlock) clears the count: not a password reset, not time. At most 100 failures
// between two complete sign-ins, however they are spread: after that the account waits for an admin.
import { expect } from 'chai';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { extractCode } from '../../helpers/mail-catcher.js';
import { browserAt, finishAt, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { startAuthorization, submitLogin } from '../../helpers/rp.js';
import { choosePassword, enterCode, otherCode, requestCode } from '../password-reset/reset-bench.js';

const PASSWORD = 'A long harbor passphrase 7';
const NEW_PASSWORD = 'New violet lantern 34?';
const DAY = 24 * 3_600_000;
const wrongFor = (code: string) => otherCode(code);

describe('lockout: every failed secret counts, only a complete sign-in clears', () => {
  let bench: MfaBench;
  let sequence = 0;
  before(async () => {
    // A cheap argon2 (allowed in tests only): the cap takes 50 wrong passwords.
    bench = await startMfaBench({ mfaPolicy: 'always', env: { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' } });
  });
  after(() => bench.close());

  const newUser = () => bench.server.createUser({ email: `budget${++sequence}@clinic.test`, password: PASSWORD });
  const stored = async (id: unknown) => (await bench.server.models.User.findById(id).lean())!;

  /** The login form's answer to `password` (a fresh sign-in in `browser`). */
  async function tryPassword(browser: Browser, email: string, password: string): Promise<Page> {
    const start = await startAuthorization(bench.charting);
    const login = await browser.follow(await browser.get(start.url.href));
    return browser.follow(await submitLogin(browser, login, email, password), bench.charting.redirectUri);
  }

  /** Right password, then `count` wrong codes; returns the last page. */
  async function wrongCodes(browser: Browser, email: string, count: number): Promise<Page> {
    const attempt = await passwordStep(browser, bench.charting, email, PASSWORD);
    expect(isCodePage(attempt.page)).to.equal(true);
    const code = extractCode((await bench.mail.nextTo(email)).text)!;
    let page = attempt.page;
    for (let i = 0; i < count; i++) page = await submitCode(browser, page, wrongFor(code));
    return page;
  }

  it('9 wrong codes, then a password reset, then one more wrong code locks (a reset does not clear failures)', async () => {
    const user = await newUser();
    const attacker = new Browser({ from: '198.51.100.40' });
    expect((await wrongCodes(attacker, user.email, 4)).status).to.equal(401);
    expect((await wrongCodes(new Browser({ from: '198.51.100.40' }), user.email, 5)).status).to.equal(401);

    // The owner resets the password by email (the reset never signs anyone in).
    const desk = new Browser({ from: '198.51.100.40' });
    const codePage = await requestCode(bench.server, desk, user.email);
    const { code } = await bench.mail.nextTo(user.email);
    const chosen = await desk.follow(await enterCode(desk, codePage, code!));
    expect((await choosePassword(desk, chosen, NEW_PASSWORD)).status).to.equal(303);
    expect((await stored(user._id)).lockout.unfamiliar.spent).to.equal(9);
    expect((await bench.mail.nextTo(user.email)).subject).to.equal('Your password was changed');

    const last = new Browser({ from: '198.51.100.40' });
    const attempt = await passwordStep(last, bench.charting, user.email, NEW_PASSWORD);
    const sent = extractCode((await bench.mail.nextTo(user.email)).text)!;
    const locked = await submitCode(last, attempt.page, wrongFor(sent));
    expect(locked.status).to.equal(423);
    expect(locked.html).to.match(/paused until/);
  });

  it('wrong password-reset codes count toward the lockout (10 of them lock the account)', async () => {
    const user = await newUser();
    const browser = new Browser({ from: '198.51.100.41' });
    for (let round = 0; round < 2; round++) {
      let page = await requestCode(bench.server, browser, user.email);
      const { code } = await bench.mail.nextTo(user.email);
      for (let i = 0; i < 5; i++) page = await browser.follow(await enterCode(browser, page, otherCode(code!)));
    }
    expect((await stored(user._id)).lockout.unfamiliar.spent).to.equal(10);
    const page = await tryPassword(new Browser({ from: '198.51.100.41' }), user.email, PASSWORD);
    expect(page.html).to.match(/paused until/);
    expect((await bench.mail.nextTo(user.email)).subject).to.equal('Someone is trying to sign in to your account');

    // While locked, even the right reset code is not accepted: answered like a wrong one, not counted.
    const codePage = await requestCode(bench.server, browser, user.email);
    const { code } = await bench.mail.nextTo(user.email);
    const answer = await enterCode(browser, codePage, code!);
    expect(answer.status).to.equal(400);
    expect(answer.html).to.include('That code is not correct');
    expect((await stored(user._id)).lockout.unfamiliar.spent).to.equal(10);
  });

  it('wrong phone-verification codes count toward the lockout', async () => {
    const user = await newUser();
    const browser = new Browser({ from: '198.51.100.42' });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    await finishAt(browser, attempt, bench.charting, await submitCode(browser, attempt.page, extractCode((await bench.mail.nextTo(user.email)).text)!));
    let answer: Page | undefined;
    for (let round = 0; round < 2; round++) {
      const form = await browser.get(bench.server.url('/account/phone'));
      const codeForm = await browser.post(formAction(form, '/account/phone'), { _csrf: field(form.html, '_csrf'), phone: '+15555550123' });
      expect(codeForm.status, 'code form').to.equal(200);
      const { code } = await bench.sms.nextTo('+15555550123');
      for (let i = 0; i < 5; i++) {
        answer = await browser.post(formAction(codeForm, '/account/phone/verify'), { _csrf: field(codeForm.html, '_csrf'), phone: '+15555550123', code: otherCode(code!) });
      }
      bench.server.clock.advance(31_000);
    }
    expect(answer!.html).to.match(/paused until/);
    expect((await stored(user._id)).lockout.spent).to.equal(10); // this browser is a known device: its own pool
  });

  it('one wrong password a day for months still stops at the cap: 50 from the user\'s own places, then only an admin unlocks', async () => {
    const user = await newUser();
    // The user's desk: a complete sign-in makes the browser a known device and its network familiar.
    const desk = new Browser({ from: '198.51.100.43' });
    const first = await passwordStep(desk, bench.charting, user.email, PASSWORD);
    await finishAt(desk, first, bench.charting, await submitCode(desk, first.page, extractCode((await bench.mail.nextTo(user.email)).text)!));

    const home = browserAt('198.51.100.43', desk);
    let page = await tryPassword(home, user.email, 'not the passphrase');
    for (let day = 1; day < 50; day++) {
      bench.server.clock.advance(DAY);
      page = await submitLogin(home, page, user.email, 'not the passphrase');
      expect(page.status, `day ${day}`).to.equal(401);
    }
    bench.server.clock.advance(30 * DAY);
    const refused = await tryPassword(browserAt('198.51.100.43', desk), user.email, PASSWORD);
    expect(refused.html).to.include('until your practice administrator unlocks it');
    expect((await stored(user._id)).lockout.spent).to.equal(50);

    expect(await bench.server.idp.mfa.lockout.unlock(user._id)).to.equal(true);
    expect(isCodePage((await passwordStep(browserAt('198.51.100.43', desk), bench.charting, user.email, PASSWORD)).page)).to.equal(true);
    await bench.mail.nextTo(user.email);
  });
});
