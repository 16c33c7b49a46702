// Tamper detection: someone with database access edits, deletes, adds to or reorders entries
// directly in the collection; the verifier names the first broken entry and why.
import { expect } from 'chai';
import { entryHash } from '../../../src/audit/chain.js';
import { createAuditLog, type AuditLog } from '../../../src/audit/record.js';
import { verifyChain } from '../../../src/audit/verify.js';
import type { AuditEntry } from '../../../src/store/models/audit-entry.js';
import { auditFixture, rawEntries, type AuditFixture } from './fixture.js';

describe('audit: chain verification', function () {
  let fx: AuditFixture;
  let written: AuditEntry[];
  /** A writer started after the wipe, as a freshly started provider would be. */
  let auditLog: AuditLog;
  before(async () => {
    fx = await auditFixture();
  });
  after(async () => fx?.close());

  /** A fresh chain of five entries for each case. */
  beforeEach(async () => {
    await rawEntries(fx).deleteMany({});
    auditLog = createAuditLog({ models: fx.models, now: fx.clock.now });
    written = [];
    const events = ['signin.password.succeeded', 'mfa.required', 'mfa.code.sent', 'mfa.code.verified', 'session.logout'] as const;
    for (const event of events) {
      written.push(await auditLog.record({ event, outcome: 'success', practiceId: fx.practiceA, userSub: 'dana', reasons: ['new_ip'], details: { n: written.length } }));
      fx.clock.advance(1000);
    }
  });

  const verify = () => verifyChain({ models: fx.models });

  it('reports an intact chain with its count and last hash; an empty log is intact', async () => {
    expect(await verify()).to.deep.equal({ ok: true, count: 5, lastHash: written[4]!.hash });
    await rawEntries(fx).deleteMany({});
    expect(await verify()).to.deep.equal({ ok: true, count: 0, lastHash: null });
  });

  const tampering: { name: string; change: () => Promise<unknown>; seq: number; reason: string; count: number }[] = [
    { name: 'an edited outcome', change: () => rawEntries(fx).updateOne({ seq: 3 }, { $set: { outcome: 'failure' } }), seq: 3, reason: 'hash_mismatch', count: 2 },
    { name: 'an edited detail', change: () => rawEntries(fx).updateOne({ seq: 2 }, { $set: { 'details.n': 9 } }), seq: 2, reason: 'hash_mismatch', count: 1 },
    { name: 'a removed reason', change: () => rawEntries(fx).updateOne({ seq: 4 }, { $set: { reasons: [] } }), seq: 4, reason: 'hash_mismatch', count: 3 },
    { name: 'a field added', change: () => rawEntries(fx).updateOne({ seq: 5 }, { $set: { note: 'fine' } }), seq: 5, reason: 'hash_mismatch', count: 4 },
    { name: 'a middle entry deleted', change: () => rawEntries(fx).deleteOne({ seq: 3 }), seq: 3, reason: 'missing_seq', count: 2 },
    { name: 'the first entry deleted', change: () => rawEntries(fx).deleteOne({ seq: 1 }), seq: 1, reason: 'missing_seq', count: 0 },
    {
      name: 'a deleted entry hidden by renumbering the rest',
      change: async () => {
        await rawEntries(fx).deleteOne({ seq: 2 });
        for (const seq of [3, 4, 5]) await rawEntries(fx).updateOne({ seq }, { $set: { seq: seq - 1 } });
      },
      seq: 2, reason: 'prev_hash_mismatch', count: 1,
    },
    {
      name: 'an edit whose hash was recomputed',
      change: async () => {
        const edited = { ...written[2]!, outcome: 'failure' as const };
        await rawEntries(fx).updateOne({ seq: 3 }, { $set: { outcome: 'failure', hash: entryHash(edited) } });
      },
      seq: 4, reason: 'prev_hash_mismatch', count: 3,
    },
    {
      name: 'two entries swapped (their times and events)',
      change: async () => {
        const [b, c] = [written[1]!, written[2]!];
        await rawEntries(fx).updateOne({ seq: 2 }, { $set: { at: c.at, event: c.event } });
        await rawEntries(fx).updateOne({ seq: 3 }, { $set: { at: b.at, event: b.event } });
      },
      seq: 2, reason: 'hash_mismatch', count: 1,
    },
  ];
  for (const { name, change, seq, reason, count } of tampering) {
    it(`names seq ${seq} (${reason}) after ${name}`, async () => {
      await change();
      expect(await verify()).to.deep.equal({ ok: false, count, firstBroken: { seq, reason } });
    });
  }

  it('a truncated tail stays visible: a running writer links to the entry it wrote, leaving a gap', async () => {
    await rawEntries(fx).deleteMany({ seq: { $gte: 4 } });
    const next = await auditLog.record({ event: 'session.logout', outcome: 'success' });
    expect(next).to.include({ seq: 6, prevHash: written[4]!.hash });
    expect(await verify()).to.deep.equal({ ok: false, count: 3, firstBroken: { seq: 4, reason: 'missing_seq' } });
  });

  it('keeps appending after tampering, and the break stays reported', async () => {
    await rawEntries(fx).updateOne({ seq: 2 }, { $set: { userSub: 'mallory' } });
    const next = await auditLog.record({ event: 'audit.verified', outcome: 'failure' });
    expect(next).to.include({ seq: 6, prevHash: written[4]!.hash });
    expect(await verify()).to.deep.equal({ ok: false, count: 1, firstBroken: { seq: 2, reason: 'hash_mismatch' } });
  });
});
