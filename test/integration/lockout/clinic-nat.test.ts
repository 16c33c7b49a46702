// 12.5: one clinic behind one NAT address. Per-address limits count failed sign-ins (spraying), not
// successes: 200 colleagues sign in from one address within a minute with the default limits, and
// a password spray from one address is still stopped.
import { expect } from 'chai';
import { DEFAULT_LIMITS } from '../../../src/config/limit-rules.js';
import { Browser, type Page } from '../../helpers/browser.js';
import { startAuthorization, submitLogin } from '../../helpers/rp.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';

const PASSWORD = 'A long harbor passphrase 7';
const CLINIC = '198.51.100.200';
/** Every limit at its default (the test server otherwise lifts them out of other tests' way). */
const DEFAULTS = Object.entries(DEFAULT_LIMITS).map(([name, { points, seconds }]) => `${name}=${points}/${seconds}`).join(',');

describe('lockout: a clinic behind one NAT address', () => {
  let bench: MfaBench;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'off', env: { RATE_LIMITS: DEFAULTS, ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' } });
  });
  after(() => bench.close());

  async function loginPage(browser: Browser): Promise<Page> {
    const start = await startAuthorization(bench.charting);
    return browser.follow(await browser.get(start.url.href));
  }

  it('200 users sign in from one address within one minute with the default limits', async function () {
    this.timeout(90_000); // ~25 s on a shared 2-core machine: 200 real sign-ins through the embedded store
    const first = await bench.server.createUser({ email: 'nat0@clinic.test', password: PASSWORD });
    // The same password hash for the others: 199 argon2 hashes would only slow the test down.
    const others = await bench.server.models.User.insertMany(Array.from({ length: 199 }, (_, i) => ({
      sub: `nat-${i + 1}-${first.sub}`, email: `nat${i + 1}@clinic.test`, name: 'Clinic User',
      passwordHash: first.passwordHash, emailVerified: true,
    })));
    await bench.server.models.Membership.insertMany(others.map((user) => ({ userId: user._id, practiceId: first.practiceId, role: 'clinician', status: 'active' })));
    const started = bench.server.clock.now();
    const results: number[] = [];
    const signIn = async (n: number) => {
      const browser = new Browser({ from: CLINIC });
      const start = await startAuthorization(bench.charting);
      const login = await browser.follow(await browser.get(start.url.href));
      // The password is accepted (303 on to the app); the rest of the way is the provider's, not a limit's.
      results.push((await submitLogin(browser, login, `nat${n}@clinic.test`, PASSWORD)).status);
    };
    // One after another: the embedded store serves them faster than in parallel on a busy machine.
    for (let n = 0; n < 200; n++) await signIn(n);
    expect(bench.server.clock.now() - started).to.be.lessThan(60_000);
    expect(results.filter((status) => status === 429)).to.have.length(0);
    expect(results).to.have.length(200);
  });

  it('a password spray from one address is stopped after 30 failures in 15 minutes, and only that address', async () => {
    const sprayer = new Browser({ from: '203.0.113.200' });
    let page = await loginPage(sprayer);
    for (let i = 0; i < 30; i++) {
      page = await submitLogin(sprayer, page, `nat${i}@clinic.test`, 'Summer2030!');
      expect(page.status, `failure ${i + 1}`).to.equal(401);
    }
    const refused = await submitLogin(sprayer, page, 'nat31@clinic.test', 'Summer2030!');
    expect(refused.status).to.equal(429);
    // The clinic's own address is not affected by the sprayer.
    const colleague = new Browser({ from: CLINIC });
    const answer = await submitLogin(colleague, await loginPage(colleague), 'nat40@clinic.test', PASSWORD);
    expect(answer.status).to.be.oneOf([302, 303]);
  });
});
