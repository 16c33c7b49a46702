// No admin or operator change without its entry. The store has no multi-document transactions, so
// changes are intent-first:
//   1. record `change.requested` (details: { change: <the change's event> }). If this write fails,
//      nothing was applied: the AuditWriteError answers 503 "try again".
//   2. apply the change.
//   3. the caller records the change's own entry (e.g. `admin.user.updated` with before/after), as
//      it always did; if `apply` threw or changed nothing, `change.not_applied` is recorded here.
// So a change never exists without an entry: at worst (the store failing between 2 and 3) the log
// holds a `change.requested` with no outcome, which says "this may have happened: look".
// An outbox (the entry written with the change, relayed later) would need the entry inside the
// changed document for atomicity, which our changes (user + sessions + grants) do not fit.
import { AppError } from '../errors.js';
import type { AuditEvent } from './events.js';
import type { AuditInput, AuditLog } from './record.js';

/** Who changes what: everything of the entry but the event names and details. */
export type ChangeAbout = Omit<AuditInput, 'event' | 'outcome' | 'details' | 'reasons'>;

export async function auditedChange<T>(audit: AuditLog, change: AuditEvent, about: ChangeAbout, apply: () => Promise<T>): Promise<T> {
  // The outcome names the same change, actor and target. It carries no seq: a practice admin reading
  // it would learn the installation's size from one.
  await audit.record({ ...about, event: 'change.requested', outcome: 'info', details: { change } });
  let result: T;
  try {
    result = await apply();
  } catch (err) {
    // The change failed or was refused: say so. If even this write fails, the original error is
    // the one to report (the intent stays without outcome, which reads "look").
    await audit.record({ ...about, event: 'change.not_applied', outcome: 'failure', reasons: [reasonOf(err)], details: { change } })
      .catch(() => undefined);
    throw err;
  }
  if (changedNothing(result)) {
    await audit.record({ ...about, event: 'change.not_applied', outcome: 'info', reasons: ['nothing_changed'], details: { change } });
  }
  return result;
}

function reasonOf(err: unknown): string {
  return err instanceof AppError && err.code ? err.code : 'error';
}

/** What the changing services return when nothing changed: 0, false, null (nothing found), or { before, after } (possibly under `changes`) with nothing after. */
function changedNothing(result: unknown): boolean {
  if (result === 0 || result === false || result === null) return true;
  if (typeof result !== 'object' || result === null) return false;
  const changes = 'changes' in result ? (result as { changes: unknown }).changes : result;
  const after = (changes as { after?: unknown } | null)?.after;
  return typeof after === 'object' && after !== null && !Array.isArray(after) && Object.keys(after).length === 0 && 'before' in (changes as object);
}
