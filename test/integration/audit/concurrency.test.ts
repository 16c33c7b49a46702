// Two "instances" (two connections, two audit logs) writing at once to one store: the unique seq
// index turns every race into a retry, so the chain stays one contiguous, valid sequence.
import { expect } from 'chai';
import { verifyChain } from '../../../src/audit/verify.js';
import { auditFixture, type AuditFixture } from './fixture.js';
import { testAuditKeys } from '../../helpers/audit-keys.js';

describe('audit: concurrent writers', () => {
  let fx: AuditFixture;
  before(async () => {
    fx = await auditFixture();
  });
  after(async () => fx?.close());

  it('50 records from two connections get seq 1..50 and a valid chain', async () => {
    const second = await fx.open();
    const writers = [fx.auditLog, second.auditLog];
    const entries = await Promise.all(Array.from({ length: 50 }, (_, i) => writers[i % 2]!.record({
      event: 'signin.password.succeeded', outcome: 'success', practiceId: fx.practiceA, userSub: `user-${i}`,
    })));

    expect(entries.map((entry) => entry.seq).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(entries.map((entry) => entry.userSub)).size).to.equal(50);
    const bySeq = [...entries].sort((a, b) => a.seq - b.seq);
    for (let i = 1; i < bySeq.length; i += 1) expect(bySeq[i]!.prevHash).to.equal(bySeq[i - 1]!.hash);
    expect(await verifyChain({ models: second.models, keys: testAuditKeys })).to.deep.include({ ok: true, count: 50, lastHash: bySeq[49]!.hash });
  });
});
