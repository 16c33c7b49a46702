// Walks the whole chain in seq order (a cursor, in batches) and reports the first broken link:
// - missing_seq: an entry was deleted (the reported seq is the first one missing);
// - hash_mismatch: the entry at seq was changed after it was written (a field edited, added or
//   removed, or the entry moved to another seq);
// - prev_hash_mismatch: the entry before it was replaced or removed, or entries were reordered.
// Limit: removing the newest entries leaves a shorter valid chain. Operators who need to detect that
// keep the reported `lastHash` somewhere else (a ticket, a log) and compare later.
import type { AuditEntryDocument } from '../store/models/audit-entry.js';
import { GENESIS_HASH } from './canonical.js';
import { entryHash, hashedFields } from './chain.js';
import type { AuditModels } from './record.js';

export type BrokenReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'missing_seq';

export type ChainReport =
  | { ok: true; count: number; lastHash: string | null }
  /** `count`: entries found intact before the first broken one. */
  | { ok: false; count: number; firstBroken: { seq: number; reason: BrokenReason } };

/** A field added to a stored entry is tampering too: it is not covered by the hash. */
const STORED_FIELDS: ReadonlySet<string> = new Set([...Object.keys(hashedFields({})), 'hash', '_id']);

export async function verifyChain({ models }: { models: AuditModels }): Promise<ChainReport> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const cursor = models.AuditEntry.find({}).sort({ seq: 1 }).lean<AuditEntryDocument[]>().cursor({ batchSize: 1000 });
  try {
    for await (const raw of cursor) {
      const doc = raw as AuditEntryDocument;
      const count = expectedSeq - 1;
      if (typeof doc.seq !== 'number' || !Number.isSafeInteger(doc.seq)) return broken(count, expectedSeq, 'hash_mismatch');
      if (doc.seq > expectedSeq) return broken(count, expectedSeq, 'missing_seq');
      // A duplicate seq (only possible with the unique index dropped) fails one of these two.
      if (doc.prevHash !== prevHash) return broken(count, doc.seq, 'prev_hash_mismatch');
      if (entryHash(doc) !== doc.hash || Object.keys(doc).some((key) => !STORED_FIELDS.has(key))) return broken(count, doc.seq, 'hash_mismatch');
      prevHash = doc.hash;
      expectedSeq += 1;
    }
  } finally {
    await cursor.close();
  }
  return { ok: true, count: expectedSeq - 1, lastHash: expectedSeq > 1 ? prevHash : null };
}

function broken(count: number, seq: number, reason: BrokenReason): ChainReport {
  return { ok: false, count, firstBroken: { seq, reason } };
}
