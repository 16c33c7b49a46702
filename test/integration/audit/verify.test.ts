// Tamper detection, tried as a database insider would: edit, delete, add, reorder entries directly
// in the collection, then re-hash every later entry to cover the tracks (without the audit key,
// which lives in the configuration). The verifier names the first forged entry and why.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { canonicalJson, GENESIS_HASH, hashCanonical } from '../../../src/audit/canonical.js';
import { entryHash, hashedFields } from '../../../src/audit/chain.js';
import { signCheckpoint } from '../../../src/audit/checkpoint.js';
import { auditKeys } from '../../../src/audit/keys.js';
import { createAuditLog, type AuditLog } from '../../../src/audit/record.js';
import { verifyChain } from '../../../src/audit/verify.js';
import type { AuditEntry } from '../../../src/store/models/audit-entry.js';
import { testAuditKeys } from '../../helpers/audit-keys.js';
import { auditFixture, rawEntries, type AuditFixture } from './fixture.js';

type Stored = AuditEntry & Record<string, unknown>;

/** What an insider can compute: the plain SHA-256 of the fields (or an HMAC under a key they guessed). */
const insiderHash = (entry: Partial<AuditEntry>, guessedKey?: string) => guessedKey
  ? createHash('sha256').update(guessedKey).update(canonicalJson({ ...hashedFields(entry), kid: entry.kid })).digest('hex')
  : hashCanonical(hashedFields(entry));

describe('audit: chain verification', () => {
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
    auditLog = createAuditLog({ models: fx.models, keys: testAuditKeys, now: fx.clock.now });
    written = [];
    const events = ['signin.password.succeeded', 'mfa.required', 'mfa.code.sent', 'mfa.code.verified', 'session.logout'] as const;
    for (const event of events) {
      written.push(await auditLog.record({ event, outcome: 'success', practiceId: fx.practiceA, userSub: 'dana', reasons: ['new_ip'], details: { n: written.length } }));
      fx.clock.advance(1000);
    }
  });

  const verify = (options: Parameters<typeof verifyChain>[1] = {}, keys = testAuditKeys) => verifyChain({ models: fx.models, keys }, options);
  const all = async () => (await rawEntries(fx).find({}).sort({ seq: 1 }).toArray()) as unknown as Stored[];
  /** Re-links entries from `fromSeq` on, each to the one before, with what the insider can compute. */
  const relink = async (fromSeq: number, hashOf: (entry: Partial<AuditEntry>) => string, toSeq = Infinity) => {
    const entries = await all();
    let prev = entries.find((entry) => entry.seq === fromSeq - 1)?.hash ?? GENESIS_HASH;
    for (const entry of entries.filter((candidate) => candidate.seq >= fromSeq && candidate.seq <= toSeq)) {
      const { _id, hash: _old, ...fields } = entry;
      const relinked = { ...fields, prevHash: prev } as Partial<AuditEntry>;
      const hash = hashOf(relinked);
      await rawEntries(fx).updateOne({ _id: _id as never }, { $set: { prevHash: prev, hash } });
      prev = hash;
    }
  };

  it('reports an intact chain with its count, ends and last hash; an empty log is intact', async () => {
    expect(await verify()).to.deep.equal({ ok: true, count: 5, firstSeq: 1, lastSeq: 5, lastHash: written[4]!.hash, unkeyed: 0, checkpoints: 0 });
    expect(written.every((entry) => entry.kid === testAuditKeys.current.id)).to.equal(true);
    await rawEntries(fx).deleteMany({});
    expect(await verify()).to.deep.equal({ ok: true, count: 0, firstSeq: null, lastSeq: null, lastHash: null, unkeyed: 0, checkpoints: 0 });
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
      name: 'delete-and-rehash: one entry deleted, the rest renumbered and re-linked with SHA-256',
      change: async () => {
        await rawEntries(fx).deleteOne({ seq: 2 });
        for (const seq of [3, 4, 5]) await rawEntries(fx).updateOne({ seq }, { $set: { seq: seq - 1 } });
        await relink(2, (entry) => insiderHash(entry));
      },
      seq: 2, reason: 'hash_mismatch', count: 1,
    },
    {
      name: 'delete-and-rehash with the key ids stripped (passing the rest off as pre-key entries)',
      change: async () => {
        await rawEntries(fx).deleteOne({ seq: 2 });
        for (const seq of [3, 4, 5]) await rawEntries(fx).updateOne({ seq }, { $set: { seq: seq - 1 }, $unset: { kid: '' } });
        await relink(2, (entry) => insiderHash(entry));
      },
      seq: 2, reason: 'not_keyed', count: 1,
    },
    {
      name: 'edit-and-rehash: an edit, then every later entry re-linked under a guessed key',
      change: async () => {
        await rawEntries(fx).updateOne({ seq: 3 }, { $set: { outcome: 'failure' } });
        await relink(3, (entry) => insiderHash(entry, 'guessed'));
      },
      seq: 3, reason: 'hash_mismatch', count: 2,
    },
    {
      name: 'edit-and-rehash of the whole chain with SHA-256 and no key ids',
      change: async () => {
        await rawEntries(fx).updateMany({}, { $unset: { kid: '' } });
        await rawEntries(fx).updateOne({ seq: 3 }, { $set: { outcome: 'failure' } });
        await relink(1, (entry) => insiderHash(entry));
      },
      seq: 1, reason: 'not_keyed', count: 0,
    },
    {
      name: 'an entry signed with an unknown key id',
      change: () => rawEntries(fx).updateOne({ seq: 4 }, { $set: { kid: 'ffffffffffffffff' } }),
      seq: 4, reason: 'unknown_key', count: 3,
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

  describe('tail truncation', () => {
    it('without a checkpoint: a running writer links to the entry it wrote, leaving a visible gap', async () => {
      await rawEntries(fx).deleteMany({ seq: { $gte: 4 } });
      const next = await auditLog.record({ event: 'session.logout', outcome: 'success' });
      expect(next).to.include({ seq: 6, prevHash: written[4]!.hash });
      expect(await verify()).to.deep.equal({ ok: false, count: 3, firstBroken: { seq: 4, reason: 'missing_seq' } });
    });

    it('without a checkpoint, a restarted writer continues the shortened chain and verify alone cannot tell', async () => {
      await rawEntries(fx).deleteMany({ seq: { $gte: 4 } });
      const restarted = createAuditLog({ models: fx.models, keys: testAuditKeys, now: fx.clock.now });
      expect(await restarted.record({ event: 'session.logout', outcome: 'success' })).to.include({ seq: 4, prevHash: written[2]!.hash });
      expect(await verify()).to.include({ ok: true, count: 4 });
    });

    it('with a checkpoint published before: the chain no longer reaches it (truncated), even after more writes', async () => {
      const checkpoint = signCheckpoint(written[4]!, fx.clock.date(), testAuditKeys);
      expect(await verify({ checkpoints: [checkpoint] })).to.include({ ok: true, count: 5, checkpoints: 1 });

      await rawEntries(fx).deleteMany({ seq: { $gte: 4 } });
      expect(await verify({ checkpoints: [checkpoint] })).to.deep.equal({ ok: false, count: 3, firstBroken: { seq: 4, reason: 'truncated' } });

      const restarted = createAuditLog({ models: fx.models, keys: testAuditKeys, now: fx.clock.now });
      for (let i = 0; i < 3; i += 1) await restarted.record({ event: 'session.logout', outcome: 'success' });
      expect(await verify({ checkpoints: [checkpoint] })).to.deep.equal({ ok: false, count: 4, firstBroken: { seq: 5, reason: 'checkpoint_mismatch' } });
    });
  });

  describe('keys', () => {
    const oldKey = 'audit-key-of-last-year-0123456789-0123456789';
    const newKey = 'audit-key-of-this-year-0123456789-0123456789';

    it('rotation: entries under the previous key still verify while it stays configured; without it they are named', async () => {
      await rawEntries(fx).deleteMany({});
      const before = createAuditLog({ models: fx.models, keys: auditKeys(oldKey), now: fx.clock.now });
      for (let i = 0; i < 3; i += 1) await before.record({ event: 'session.logout', outcome: 'success' });
      const after = createAuditLog({ models: fx.models, keys: auditKeys(newKey, [oldKey]), now: fx.clock.now });
      for (let i = 0; i < 2; i += 1) await after.record({ event: 'session.logout', outcome: 'success' });

      const stored = await all();
      expect(stored.map((entry) => entry.kid)).to.deep.equal([...Array(3).fill(auditKeys(oldKey).current.id), ...Array(2).fill(auditKeys(newKey).current.id)]);
      expect(await verify({}, auditKeys(newKey, [oldKey]))).to.include({ ok: true, count: 5 });
      expect(await verify({}, auditKeys(newKey))).to.deep.equal({ ok: false, count: 0, firstBroken: { seq: 1, reason: 'unknown_key' } });
    });

    it('entries from before the chain was keyed verify as what they are, anchored by the first keyed entry', async () => {
      await rawEntries(fx).deleteMany({});
      // Three entries as the unkeyed writer stored them: SHA-256 links, no kid.
      let prevHash = GENESIS_HASH;
      for (let seq = 1; seq <= 3; seq += 1) {
        const fields: Omit<AuditEntry, 'hash'> = { seq, at: fx.clock.date(), event: 'session.logout', outcome: 'success', practiceId: fx.practiceA, userSub: 'dana', actor: null, ip: null, userAgent: null, clientId: null, reasons: [], details: {}, prevHash };
        const hash = hashCanonical(hashedFields(fields));
        await rawEntries(fx).insertOne({ ...fields, hash });
        prevHash = hash;
      }
      const unkeyedLast = prevHash;
      const upgraded = createAuditLog({ models: fx.models, keys: testAuditKeys, now: fx.clock.now });
      await upgraded.record({ event: 'session.logout', outcome: 'success' });

      const stored = await all();
      expect(stored[3]).to.deep.include({ seq: 4, event: 'audit.chain_keyed', prevHash: unkeyedLast, kid: testAuditKeys.current.id, details: { unkeyedThrough: 3, lastUnkeyedHash: unkeyedLast } });
      expect(stored[4]).to.include({ seq: 5, event: 'session.logout', prevHash: stored[3]!.hash });
      expect(await verify()).to.include({ ok: true, count: 5, unkeyed: 3 });
      expect(entryHash(stored[0]!, testAuditKeys)).to.equal(stored[0]!.hash);

      // The unkeyed part edited and re-linked (all it takes is SHA-256): the keyed anchor, which
      // commits to the last unkeyed hash, no longer links to it. Which unkeyed entry was forged
      // cannot be named: they never had a key.
      await rawEntries(fx).updateOne({ seq: 2 }, { $set: { userSub: 'mallory' } });
      await relink(2, (entry) => insiderHash(entry), 3);
      expect(await verify()).to.deep.equal({ ok: false, count: 3, firstBroken: { seq: 4, reason: 'prev_hash_mismatch' } });
      // And moving the anchor's link along breaks the anchor's own MAC.
      await rawEntries(fx).updateOne({ seq: 4 }, { $set: { prevHash: (await all())[2]!.hash } });
      expect(await verify()).to.deep.include({ ok: false, count: 3 });
    });
  });

  it('keeps appending after tampering, and the break stays reported', async () => {
    await rawEntries(fx).updateOne({ seq: 2 }, { $set: { userSub: 'mallory' } });
    const next = await auditLog.record({ event: 'audit.verified', outcome: 'failure' });
    expect(next).to.include({ seq: 6, prevHash: written[4]!.hash });
    expect(await verify()).to.deep.equal({ ok: false, count: 1, firstBroken: { seq: 2, reason: 'hash_mismatch' } });
  });
});
