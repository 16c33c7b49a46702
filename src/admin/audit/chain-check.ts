// The admin page's view of its practice's chain check (src/audit/practice-view.ts): how many of
// the practice's entries were verified and since when, or where the chain is broken, by time only.
// Never a seq, another practice's contents, or the installation's size.
import type { PracticeChainView } from '../../audit/practice-view.js';
import { BROKEN_REASON_TEXT, type BrokenReason } from '../../audit/verify.js';
import { humanText, utcText } from './time.js';
import { t } from '../../i18n/request.js';
import { hasText } from '../../i18n/translator.js';

export type ChainView =
  | { ok: true; checked: number; since?: string; complete: boolean }
  | { ok: false; checked: number; reason: BrokenReason; problem: string; time: string; ours: boolean };

/** Times on the practice's clocks (`zone`), UTC beside them for the report to the operator. */
export function chainView(report: PracticeChainView, zone: string): ChainView {
  const when = (at: Date) => `${humanText(at, zone)} (${utcText(at)})`;
  if (report.ok) return { ok: true, checked: report.checked, ...(report.since ? { since: when(report.since) } : {}), complete: report.complete };
  const at = report.at && !Number.isNaN(report.at.getTime()) ? when(report.at) : undefined;
  const time = report.reason === 'missing_seq' ? (at ? t('admin:verify.unknown_after', { at }) : t('admin:verify.unknown')) : at ?? t('admin:verify.unreadable');
  // The operator's CLI reads BROKEN_REASON_TEXT; the page, the same sentence in the reader's language.
  return { ok: false, checked: report.checked, reason: report.reason, problem: hasText(`audit:broken.${report.reason}`) ? t(`audit:broken.${report.reason}`) : BROKEN_REASON_TEXT[report.reason], time, ours: report.ours };
}
