// An admin's request for a user's new email mails a link to any address typed and a notice to the
// user: a bad admin (or a hijacked admin session) must not turn it into a mail cannon. Limited per
// user and per admin (`account_change`, 5 an hour by default; 3 here).
import { expect } from 'chai';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { PASSWORD } from './admin-bench.js';

describe('admin: account-change requests are limited', function () {
  this.timeout(30_000);
  let bench: MfaBench;
  before(async () => { bench = await startMfaBench({ env: { RATE_LIMITS: 'account_change=3/3600' } }); });
  after(() => bench.close());

  it('the fourth new-email request for a user in an hour is refused and mails nobody', async () => {
    const practiceId = (await bench.server.createPractice({ name: 'Limit Clinic' }))._id;
    const admin = await bench.server.createUser({ practiceId, email: 'ada@limit.test', name: 'Ada Admin', role: 'admin', password: PASSWORD });
    const dana = await bench.server.createUser({ practiceId, email: 'dana@limit.test', name: 'Dana Doctor' });
    const { browser, csrfToken } = await adminSignIn(bench, admin, PASSWORD, '/admin/users');
    const ask = (n: number) => browser.post(bench.server.url(`/admin/users/${String(dana._id)}/email`), { _csrf: csrfToken, email: `inbox${n}@flood.test` });
    for (const n of [1, 2, 3]) expect((await ask(n)).status, `request ${n}`).to.equal(303);
    await bench.mail.waitFor((mail) => mail.to.includes('inbox3@flood.test'));
    const refused = await ask(4);
    expect(refused.status).to.equal(429);
    expect(bench.mail.messages.filter((mail) => mail.to.includes('inbox4@flood.test'))).to.have.length(0);
  });
});
