// 12.3: strangers cannot lock a user out. Failures from devices and networks the user never signed
// in from are counted apart: they pause and then refuse unfamiliar sources only, the user is
// emailed once, the admin's user page shows it, and the real user signs in from their own desk.
import { expect } from 'chai';
import { Browser, type Page } from '../../helpers/browser.js';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { extractCode } from '../../helpers/mail-catcher.js';
import { browserAt, finishAt, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { startAuthorization, submitLogin } from '../../helpers/rp.js';

const PASSWORD = 'A long harbor passphrase 7';
const ATTACK_SUBJECT = 'Someone is trying to sign in to your account';

describe('lockout: failures from unfamiliar sources never lock the user out of their own', () => {
  let bench: MfaBench;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'risk', env: { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' } });
  });
  after(() => bench.close());

  async function loginPage(browser: Browser): Promise<Page> {
    const start = await startAuthorization(bench.charting);
    return browser.follow(await browser.get(start.url.href));
  }

  /** A complete sign-in (password + emailed code) at `browser`: its device and network become familiar. */
  async function signInAt(browser: Browser, email: string) {
    const attempt = await passwordStep(browser, bench.charting, email, PASSWORD);
    const page = isCodePage(attempt.page) ? await submitCode(browser, attempt.page, extractCode((await bench.mail.nextTo(email)).text)!) : attempt.page;
    return finishAt(browser, attempt, bench.charting, page);
  }

  it('12 wrong passwords from 127.0.0.2..13 pause strangers, not the user at their known device or network; the user is emailed once', async () => {
    const user = await bench.server.createUser({ email: 'target@clinic.test', password: PASSWORD });
    const desk = new Browser({ from: '198.51.100.60' });
    await signInAt(desk, user.email);

    for (let i = 2; i <= 13; i++) {
      const stranger = new Browser({ from: `127.0.0.${i}` });
      expect((await submitLogin(stranger, await loginPage(stranger), user.email, `guess ${i}`)).status).to.equal(401);
    }
    // Strangers are paused, even with the right password (which is then told so).
    const stranger = new Browser({ from: '127.0.0.14' });
    const refused = await submitLogin(stranger, await loginPage(stranger), user.email, PASSWORD);
    expect(refused.status).to.equal(401);
    expect(refused.html).to.match(/paused until/);
    expect((await bench.mail.nextTo(user.email)).subject).to.equal(ATTACK_SUBJECT);

    // The user at their known device (any address), and at their usual network (a new browser), signs in.
    expect((await signInAt(browserAt('192.0.2.99', desk), user.email)).sub).to.equal(user.sub);
    expect((await signInAt(new Browser({ from: '198.51.100.61' }), user.email)).sub).to.equal(user.sub);

    // Told once, not once per guess.
    const notices = bench.mail.messages.filter((mail) => mail.to.includes(user.email) && mail.subject === ATTACK_SUBJECT);
    expect(notices).to.have.length(1);
    expect(notices[0]!.text).to.include('still sign in as usual');
  });

  it('the admin user page shows an account under attack and its failure counts', async () => {
    const practice = await bench.server.createPractice({ mfaPolicy: 'risk' });
    const admin = await bench.server.createUser({ email: 'smart-admin2@clinic.test', role: 'admin', password: PASSWORD, practiceId: practice._id });
    const user = await bench.server.createUser({ email: 'target2@clinic.test', password: PASSWORD, practiceId: practice._id });
    for (let i = 20; i < 30; i++) {
      const stranger = new Browser({ from: `127.0.0.${i}` });
      await submitLogin(stranger, await loginPage(stranger), user.email, `guess ${i}`);
    }
    await bench.mail.nextTo(user.email); // the attack notice
    const { browser } = await adminSignIn(bench, admin, PASSWORD, '/admin/users');
    const page = await browser.get(bench.server.url(`/admin/users/${user._id.toHexString()}`));
    expect(page.status).to.equal(200);
    expect(page.html).to.include('id="under-attack"').and.include('unfamiliar devices and networks are refused');
    expect(page.html).to.match(/0 from the user&#39;s own devices and networks, 10 from elsewhere|0 from the user's own devices and networks, 10 from elsewhere/);
  });

  it('strangers have 50 guesses between two complete sign-ins, the user\'s own places 50 more: never more than 100 in all', async () => {
    const user = await bench.server.createUser({ email: 'budget-split@clinic.test', password: PASSWORD });
    const desk = new Browser({ from: '198.51.100.62' });
    await signInAt(desk, user.email);
    // One login form, re-posted after each refusal: each stranger speaks from its own address.
    const attacker = new Browser({ from: '203.0.113.1' });
    const home = browserAt('198.51.100.62', desk);
    let strangerPage = await loginPage(attacker);
    let homePage = await loginPage(home);

    let guesses = 0;
    for (let i = 0; i < 50; i++) {
      attacker.from = `203.0.113.${i + 1}`;
      strangerPage = await submitLogin(attacker, strangerPage, user.email, 'wrong');
      if (!/paused|unlock|used before/.test(strangerPage.html)) guesses++;
      if (i % 10 === 9) bench.server.clock.advance(24 * 3_600_000); // past every pause
    }
    attacker.from = '203.0.113.99';
    expect((await submitLogin(attacker, strangerPage, user.email, PASSWORD)).html).to.include('sign in from a device or network you have used before');
    for (let i = 0; i < 50; i++) {
      homePage = await submitLogin(home, homePage, user.email, 'wrong');
      if (!/paused|unlock|used before/.test(homePage.html)) guesses++;
      if (i % 10 === 9) bench.server.clock.advance(24 * 3_600_000);
    }
    const stored = (await bench.server.models.User.findById(user._id).lean())!;
    expect(stored.lockout.spent + stored.lockout.unfamiliar.spent).to.equal(100);
    expect((await submitLogin(home, homePage, user.email, PASSWORD)).html).to.include('until your practice administrator unlocks it');
    expect(guesses).to.equal(100);
  });
});
