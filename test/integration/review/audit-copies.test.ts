// Identity-wide audit copies (src/audit/identity-wide.ts) reduce an admin actor of practice A to
// `{ sub: 'admin' }` in practice B's log. Found in review: the copy still carried the admin's request
// address and browser, so B's admin read where A's admin works from (and in what browser) for every
// unlock or factor removal A's admin made on a shared person. Fixed: the copy drops them.
import { expect } from 'chai';
import { PASSWORD, startTwinBench, type TwinBench } from '../commands/bench.js';

describe('review: identity-wide audit copies and the admin of another practice', function () {
  this.timeout(90_000);
  let t: TwinBench;
  before(async () => {
    t = await startTwinBench();
  });
  after(() => t.close());

  it('the copy of an unlock made by the admin of A names neither that admin nor the address and browser they acted from', async () => {
    const person = await t.bench.server.createUser({ practiceId: t.practiceId, email: 'shared.copy@seaside.test', name: 'Shared Copy', password: PASSWORD });
    await t.bench.server.idp.accounts.memberships.addMembership({ userId: person._id, practiceId: t.otherPracticeId, role: 'clinician' });
    const { lockout } = t.bench.server.idp.mfa;
    for (let i = 0; i < t.bench.server.config.mfa.lockoutThreshold; i++) await lockout.failure(person._id);
    expect((await t.post(`/admin/users/${String(person._id)}/unlock`)).status).to.equal(303);

    const entries = await t.bench.server.models.AuditEntry.find({ event: 'account.unlocked', userSub: person.sub }).sort({ seq: 1 }).lean();
    const original = entries.find((entry) => entry.practiceId === String(t.practiceId))!;
    const copy = entries.find((entry) => entry.practiceId === String(t.otherPracticeId))!;
    expect(original.ip, 'the admin acted from an address (A\'s own log keeps it)').to.be.a('string');
    expect(copy.actor).to.deep.equal({ sub: 'admin', role: 'admin' });
    expect(JSON.stringify(copy), 'B\'s copy').to.not.include(t.admin.sub).and.not.include(t.admin.email);
    expect(copy.ip ?? null, 'the address A\'s admin acted from').to.equal(null);
    expect(copy.userAgent ?? null, 'the browser A\'s admin acted from').to.equal(null);
  });
});
