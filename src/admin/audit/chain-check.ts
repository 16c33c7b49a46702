// The admin page's view of a chain verification. The chain is one for the whole installation, so
// an admin learns only whether it is intact and, if not, the first broken entry's seq and time:
// never the contents of an entry (it may be another practice's).
import type { BrokenReason, ChainReport } from '../../audit/verify.js';
import type { Models } from '../../store/models/index.js';
import { utcText } from './time.js';

export const EXPLAIN: Record<BrokenReason, string> = {
  hash_mismatch: 'the entry was changed after it was written',
  prev_hash_mismatch: 'the entry before it was changed, replaced or removed, or entries were reordered',
  missing_seq: 'the entry is missing (deleted)',
};

export type ChainView =
  | { ok: true; count: number }
  | { ok: false; count: number; seq: number; reason: BrokenReason; problem: string; time: string };

export async function chainView(models: Models, report: ChainReport): Promise<ChainView> {
  if (report.ok) return { ok: true, count: report.count };
  const { seq, reason } = report.firstBroken;
  return { ok: false, count: report.count, seq, reason, problem: EXPLAIN[reason], time: await timeOf(models, seq, reason) };
}

/** The broken entry's time as stored; for a deleted one, the time after which it was written. */
async function timeOf(models: Models, seq: number, reason: BrokenReason): Promise<string> {
  const lookup = reason === 'missing_seq' ? seq - 1 : seq;
  const entry = lookup >= 1 ? await models.AuditEntry.findOne({ seq: lookup }, { at: 1 }).lean() : null;
  const at = entry?.at instanceof Date && !Number.isNaN(entry.at.getTime()) ? utcText(entry.at) : undefined;
  if (reason === 'missing_seq') return at ? `unknown (written after ${at})` : 'unknown';
  return at ?? 'unreadable (the stored time was altered)';
}
