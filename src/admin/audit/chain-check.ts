// The admin page's view of its practice's chain check (src/audit/practice-view.ts): how many of
// the practice's entries were verified and since when, or where the chain is broken, by time only.
// Never a seq, another practice's contents, or the installation's size.
import type { PracticeChainView } from '../../audit/practice-view.js';
import { BROKEN_REASON_TEXT, type BrokenReason } from '../../audit/verify.js';
import { utcText } from './time.js';

export type ChainView =
  | { ok: true; checked: number; since?: string; complete: boolean }
  | { ok: false; checked: number; reason: BrokenReason; problem: string; time: string; ours: boolean };

export function chainView(report: PracticeChainView): ChainView {
  if (report.ok) return { ok: true, checked: report.checked, ...(report.since ? { since: utcText(report.since) } : {}), complete: report.complete };
  const at = report.at && !Number.isNaN(report.at.getTime()) ? utcText(report.at) : undefined;
  const time = report.reason === 'missing_seq' ? (at ? `unknown (written after ${at})` : 'unknown') : at ?? 'unreadable (the stored time was altered)';
  return { ok: false, checked: report.checked, reason: report.reason, problem: BROKEN_REASON_TEXT[report.reason], time, ours: report.ours };
}
