// A practice admin's check of the chain (issue 21.6): their own view, bounded and private.
// - Private: the report counts only the practice's entries and locates a break by time, never by
//   seq or by the installation's entry count (a practice must not learn how big the service is).
// - Bounded: it walks the global chain from just before the practice's oldest entry among its
//   newest OWN_LIMIT, and at most WALK_LIMIT entries; what lies beyond is the operator's
//   `audit verify` (the whole installation), and the report says whether the walk covered all of
//   the practice's entries.
// Within the window every entry's key and link is checked (another practice's entry too: a break
// there is a break in the chain that holds ours), with the same walker as the operator's verify.
import type { AuditEntryDocument } from '../store/models/audit-entry.js';
import type { AuditKeys } from './keys.js';
import type { AuditModels } from './record.js';
import { walkChain, type BrokenReason } from './verify.js';

export const OWN_LIMIT = 5_000;
export const WALK_LIMIT = 50_000;

export type PracticeChainView =
  | { ok: true; checked: number; since: Date | null; complete: boolean }
  | { ok: false; checked: number; reason: BrokenReason; at: Date | null; ours: boolean };

export interface PracticeViewDeps {
  models: AuditModels;
  keys: AuditKeys;
}

export async function verifyPracticeView({ models, keys }: PracticeViewDeps, practiceId: string, limits = { own: OWN_LIMIT, walk: WALK_LIMIT }): Promise<PracticeChainView> {
  const own = await models.AuditEntry.find({ practiceId }, { seq: 1 }).sort({ seq: -1 }).limit(limits.own).lean();
  if (own.length === 0) return { ok: true, checked: 0, since: null, complete: true };
  const [oldest, newest] = await Promise.all([
    models.AuditEntry.findOne({}, { seq: 1 }).sort({ seq: 1 }).lean(),
    models.AuditEntry.findOne({}, { seq: 1 }).sort({ seq: -1 }).lean(),
  ]);
  const endSeq = newest!.seq;
  const oldestOwn = own.at(-1)!.seq;
  // From the entry before our oldest (its link to ours is checked too), within the live chain.
  const fromSeq = Math.max(oldestOwn - 1, endSeq - limits.walk + 1, oldest!.seq);
  const cursor = models.AuditEntry.find({ seq: { $gte: fromSeq, $lte: endSeq } }).sort({ seq: 1 }).lean<AuditEntryDocument[]>().cursor({ batchSize: 1000 });

  // The entry the walker stopped at, and the one before it (a deleted entry is located after that one).
  let previous: AuditEntryDocument | null = null;
  let current: AuditEntryDocument | null = null;
  async function* tracked() {
    for await (const raw of cursor) {
      previous = current;
      current = raw as AuditEntryDocument;
      yield current;
    }
  }
  let walk;
  try {
    walk = await walkChain(tracked(), keys);
  } finally {
    await cursor.close();
  }
  const { report, first } = walk;
  if (report.ok && first && first.seq !== fromSeq) return { ok: false, checked: 0, reason: 'missing_seq', at: null, ours: false };
  if (!report.ok) {
    const { seq, reason } = report.firstBroken;
    const where = (reason === 'missing_seq' ? previous : current) as AuditEntryDocument | null;
    const checked = await models.AuditEntry.countDocuments({ practiceId, seq: { $gte: fromSeq, $lt: seq } });
    return { ok: false, checked, reason, at: where?.at instanceof Date ? where.at : null, ours: reason !== 'missing_seq' && where?.practiceId === practiceId };
  }
  const inWindow = await models.AuditEntry.find({ practiceId, seq: { $gte: fromSeq, $lte: endSeq } }, { at: 1 }).sort({ seq: 1 }).limit(1).lean();
  const checked = await models.AuditEntry.countDocuments({ practiceId, seq: { $gte: fromSeq, $lte: endSeq } });
  return { ok: true, checked, since: inWindow[0]?.at ?? null, complete: own.length < limits.own && fromSeq <= oldestOwn };
}
