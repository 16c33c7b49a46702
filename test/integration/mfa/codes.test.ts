// The rules of one-time codes, through the pages: 5 wrong entries burn a code, codes expire after
// 10 minutes, a code works once and only in its own sign-in, resends are throttled, and failed
// passwords and codes together lock the account until it is unlocked or the lock runs out.
import { expect } from 'chai';
import { ACR_MFA } from '../../../src/mfa/risk/acr.js';
import { auditEntryModel } from '../../../src/store/models/audit-entry.js';
import { Browser, formAction, field } from '../../helpers/browser.js';
import { finishAt, isCodePage, passwordStep, requestCode, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { submitLogin, startAuthorization } from '../../helpers/rp.js';

const PASSWORD = 'A long harbor passphrase 7';
const wrongFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('mfa: one-time code rules', () => {
  let bench: MfaBench;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always' });
  });
  after(() => bench.close());

  async function codePage(email: string, browser = new Browser({ from: '198.51.100.20' })) {
    const attempt = await passwordStep(browser, bench.charting, email, PASSWORD);
    expect(isCodePage(attempt.page), 'code page').to.equal(true);
    const { code } = await bench.mail.nextTo(email);
    return { browser, attempt, code: code! };
  }

  it('5 wrong entries burn the code (tries left are shown); a new code works', async () => {
    const user = await bench.server.createUser({ email: 'burn@clinic.test', password: PASSWORD });
    const { browser, attempt, code } = await codePage(user.email);
    let page = attempt.page;
    const malformed = await submitCode(browser, page, '12ab');
    expect(malformed.status).to.equal(400);
    for (let left = 4; left >= 1; left--) {
      page = await submitCode(browser, page, wrongFor(code));
      expect(page.status).to.equal(401);
      expect(page.html).to.include(`You have ${left} ${left === 1 ? 'try' : 'tries'} left.`);
    }
    page = await submitCode(browser, page, wrongFor(code));
    expect(page.html).to.include('can no longer be used').and.include('request a new code');
    expect(isCodePage(page), 'no code field for a burnt code').to.equal(false);

    const stillRight = await browser.post(formAction(attempt.page, '/verify'), { _csrf: field(page.html, '_csrf'), code });
    expect(stillRight.status).to.equal(401);
    expect(stillRight.html).to.include('can no longer be used');

    bench.server.clock.advance(30_000);
    const renewed = await requestCode(browser, page);
    expect(renewed.html).to.include('We sent a new code');
    const fresh = await bench.mail.nextTo(user.email);
    expect(await finishAt(browser, attempt, bench.charting, await submitCode(browser, renewed, fresh.code!))).to.include({ acr: ACR_MFA });
    const burned = await auditEntryModel(bench.server.connection).countDocuments({ userSub: user.sub, event: 'mfa.code.burned' });
    expect(burned).to.equal(1);
  });

  it('a code expires after 10 minutes', async () => {
    const user = await bench.server.createUser({ email: 'expiry@clinic.test', password: PASSWORD });
    const { browser, attempt, code } = await codePage(user.email);
    bench.server.clock.advance(10 * 60_000);
    const page = await submitCode(browser, attempt.page, code);
    expect(page.status).to.equal(401);
    expect(page.html).to.include('This code has expired');
  });

  it('a code works once: a replay is refused, before and after the sign-in completed', async () => {
    const user = await bench.server.createUser({ email: 'replay@clinic.test', password: PASSWORD });
    const { browser, attempt, code } = await codePage(user.email);
    const done = await submitCode(browser, attempt.page, code);
    expect(done.status).to.equal(303);
    const replay = await submitCode(browser, attempt.page, code);
    expect(replay.status).to.equal(401);
    expect(replay.html).to.include('This code was already used.');
    expect(await finishAt(browser, attempt, bench.charting, done)).to.include({ acr: ACR_MFA });
    const late = await submitCode(browser, attempt.page, code);
    expect(late.status).to.equal(400);
    expect(late.html).to.include('expired or was already used');
    const challenge = await bench.server.models.OtpChallenge.findById(new URL(attempt.page.url).pathname.split('/')[2]).lean();
    expect(challenge?.usedAt, 'marked used').to.be.instanceOf(Date);
    expect(JSON.stringify(challenge)).not.to.include(code);
  });

  it('a code from another sign-in (same user, another browser) never works here', async () => {
    const user = await bench.server.createUser({ email: 'crossed@clinic.test', password: PASSWORD });
    const one = await codePage(user.email);
    const two = await codePage(user.email, new Browser({ from: '198.51.100.21' }));
    const crossed = await submitCode(two.browser, two.attempt.page, one.code);
    expect(crossed.status).to.equal(401);
    expect(crossed.html).to.include('That code is not correct.');
    expect(await finishAt(one.browser, one.attempt, bench.charting, await submitCode(one.browser, one.attempt.page, one.code))).to.include({ acr: ACR_MFA });
  });

  it('resends are throttled: 30 s apart, at most 5 in 15 minutes; the throttle lives in the store', async () => {
    const user = await bench.server.createUser({ email: 'resend@clinic.test', password: PASSWORD });
    const { browser, attempt } = await codePage(user.email);
    const early = await requestCode(browser, attempt.page);
    expect(early.status).to.equal(429);
    expect(early.html).to.match(/Please wait \d+ seconds/);
    for (let sent = 2; sent <= 5; sent++) {
      bench.server.clock.advance(30_000);
      expect((await requestCode(browser, attempt.page)).status).to.equal(200);
      await bench.mail.nextTo(user.email);
    }
    bench.server.clock.advance(30_000);
    const sixth = await requestCode(browser, attempt.page);
    expect(sixth.status).to.equal(429);
    expect(sixth.html).to.match(/Please wait \d+ minutes/);
    bench.server.clock.advance(15 * 60_000);
    expect((await requestCode(browser, attempt.page)).status).to.equal(200);
    await bench.mail.nextTo(user.email);
  });

  it('failed passwords and codes together lock the account; an attacker learns nothing, the user when to retry; unlock works', async () => {
    const user = await bench.server.createUser({ email: 'locked@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: '198.51.100.30' });
    // 5 wrong passwords...
    for (let i = 0; i < 5; i++) {
      const start = await startAuthorization(bench.charting);
      const login = await browser.follow(await browser.get(start.url.href));
      expect((await submitLogin(browser, login, user.email, 'not the passphrase')).status).to.equal(401);
    }
    // ...then the right one and 5 wrong codes: the 10th failure locks.
    const { attempt, code } = await codePage(user.email, browser);
    let page = attempt.page;
    for (let i = 0; i < 4; i++) page = await submitCode(browser, page, wrongFor(code));
    page = await submitCode(browser, page, wrongFor(code));
    expect(page.status).to.equal(423);
    expect(page.html).to.match(/paused until \d\d:\d\d UTC \(in about 15 minutes\)/);

    // A wrong password now looks exactly like an unknown account; the right one says when.
    const attemptLogin = async (email: string, password: string) => {
      const fresh = new Browser();
      const start = await startAuthorization(bench.charting);
      const login = await fresh.follow(await fresh.get(start.url.href));
      return submitLogin(fresh, login, email, password);
    };
    const [wrong, unknown, right] = [
      await attemptLogin(user.email, 'not the passphrase'),
      await attemptLogin('nobody@clinic.test', 'not the passphrase'),
      await attemptLogin(user.email, PASSWORD),
    ];
    const text = (html: string) => /id="login-error"[^>]*>([^<]*)</.exec(html)?.[1];
    expect(text(wrong.html)).to.equal('The email or password is not correct.').and.equal(text(unknown.html));
    expect(wrong.status).to.equal(unknown.status);
    expect(text(right.html)).to.match(/paused until \d\d:\d\d UTC/);
    // Once the practice runs on Chicago time, the user reads the time on Chicago's clocks.
    await bench.server.models.Practice.updateOne({ _id: user.practiceId }, { $set: { timeZone: 'America/Chicago' } });
    const [, hhmm] = /paused until (\d\d:\d\d) UTC/.exec(text(right.html)!)!;
    const retryAt = new Date(`${new Date(bench.server.clock.now() + 15 * 60_000).toISOString().slice(0, 10)}T${hhmm}:00Z`);
    const chicago = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(retryAt).replace(/\u202f/g, ' ');
    expect(chicago).to.match(/^\d{1,2}:\d\d [AP]M C[SD]T$/);
    expect(text((await attemptLogin(user.email, PASSWORD)).html)).to.include(`paused until ${chicago} (in about`);

    // The lock does not grow with attempts made while locked; an operator unlock lifts it.
    const stored = (await bench.server.models.User.findById(user._id).lean())!;
    expect(stored.lockout.unfamiliar.locks).to.equal(1); // a browser and network the user never signed in from
    expect(await bench.server.idp.mfa.lockout.unlock(user._id)).to.equal(true);
    const after = await passwordStep(new Browser({ from: '198.51.100.30' }), bench.charting, user.email, PASSWORD);
    expect(isCodePage(after.page)).to.equal(true);
    await bench.mail.nextTo(user.email);
  });

  it('a lock runs out after its time, and the next lock lasts twice as long', async () => {
    const user = await bench.server.createUser({ email: 'doubling@clinic.test', password: PASSWORD });
    const lockout = bench.server.idp.mfa.lockout;
    for (let i = 0; i < 10; i++) await lockout.failure(user._id);
    const first = lockout.status((await bench.server.models.User.findById(user._id).lean())!);
    expect(first.retryAt! - bench.server.clock.now()).to.equal(15 * 60_000);
    bench.server.clock.advance(15 * 60_000);
    expect(isCodePage((await passwordStep(new Browser({ from: '198.51.100.31' }), bench.charting, user.email, PASSWORD)).page)).to.equal(true);
    await bench.mail.nextTo(user.email);
    let last;
    for (let i = 0; i < 10; i++) last = await lockout.failure(user._id);
    expect(last!.retryAt! - bench.server.clock.now()).to.equal(30 * 60_000);
  });
});
