// GET /metrics: only with the configured bearer token; after real sign-ins it counts sign-ins by
// outcome, MFA decisions and codes by channel, delivery failures, lockouts, request latency by
// route pattern, and carries the default process metrics.
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { finishAt, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';

const TOKEN = 'metrics-scraper-token-0123456789abcdef';
const PASSWORD = 'A long harbor passphrase 7';

/** `name{a="x",b="y"}` → value, for every sample line of the exposition text. */
function samples(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    found.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return found;
}

describe('ops: Prometheus metrics', () => {
  let bench: MfaBench;
  before(async () => { bench = await startMfaBench({ mfaPolicy: 'always', env: { METRICS_TOKEN: TOKEN, LOCKOUT_THRESHOLD: '3' } }); });
  after(() => bench.close());

  const scrape = async () => {
    const response = await fetch(bench.server.url('/metrics'), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/plain/);
    return samples(await response.text());
  };

  it('refuses a scrape without the token or with a wrong one', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Basic ${TOKEN}` }]) {
      const response = await fetch(bench.server.url('/metrics'), { headers });
      expect(response.status).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.match(/^Bearer/);
      expect(await response.text()).not.to.include('idp_');
    }
  });

  it('counts sign-ins, codes, delivery failures and lockouts from what happened', async () => {
    const user = await bench.server.createUser({ email: 'metrics@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: '198.51.100.30' });
    // One wrong password, then a full sign-in with an emailed code.
    await passwordStep(browser, bench.charting, user.email, 'wrong password entirely');
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(isCodePage(attempt.page)).to.equal(true);
    const { code } = await bench.mail.nextTo(user.email);
    await finishAt(browser, attempt, bench.charting, await submitCode(browser, attempt.page, code!));

    // Mail down: the code cannot be delivered.
    const unlucky = await bench.server.createUser({ email: 'maildown@clinic.test', password: PASSWORD });
    bench.mail.setFailure('down');
    try {
      await passwordStep(new Browser({ from: '198.51.100.31' }), bench.charting, unlucky.email, PASSWORD);
    } finally {
      bench.mail.setFailure('none');
    }

    // Three wrong passwords lock an account (LOCKOUT_THRESHOLD=3).
    const target = await bench.server.createUser({ email: 'locked@clinic.test', password: PASSWORD });
    for (let i = 0; i < 3; i++) await passwordStep(new Browser({ from: '198.51.100.32' }), bench.charting, target.email, `wrong ${i}`);

    const metrics = await scrape();
    const value = (key: string) => metrics.get(key) ?? 0;
    expect(value('idp_sign_ins_total{outcome="password_failed",reason="wrong_password"}')).to.equal(4);
    expect(value('idp_sign_ins_total{outcome="password_succeeded",reason="none"}')).to.equal(2);
    expect(value('idp_sign_ins_total{outcome="completed",reason="none"}')).to.equal(1);
    expect(value('idp_mfa_decisions_total{decision="required",reason="policy_always"}')).to.equal(2);
    expect(value('idp_mfa_codes_sent_total{channel="email",resend="false"}')).to.equal(1);
    expect(value('idp_mfa_code_checks_total{outcome="verified"}')).to.equal(1);
    expect(value('idp_mfa_code_delivery_failures_total{channel="email",reason="provider_unavailable"}')).to.equal(1);
    expect(value('idp_account_lockouts_total')).to.equal(1);
    expect(value('idp_http_request_duration_seconds_count{method="POST",route="/token",status="200"}')).to.equal(1);
    expect(value('idp_http_request_duration_seconds_count{method="GET",route="/auth",status="303"}')).to.be.greaterThan(0);
    expect([...metrics.keys()].some((key) => key.startsWith('process_cpu_user_seconds_total')), 'default process metrics').to.equal(true);
    // Route patterns only: no interaction uid in any label.
    expect([...metrics.keys()].filter((key) => /route="\/interaction\/[A-Za-z0-9_-]{20,}/.test(key))).to.deep.equal([]);
  });

  it('is not served without METRICS_TOKEN', async () => {
    const plain = await startMfaBench({ mfaPolicy: 'off' });
    try {
      const response = await fetch(plain.server.url('/metrics'), { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).to.equal(404);
    } finally {
      await plain.close();
    }
  });
});
