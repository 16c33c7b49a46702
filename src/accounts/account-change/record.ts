// The stored side of a pending account change: its secrets (random links, kept only as SHA-256),
// finding a change that is still usable (expiry checked here, never left to the TTL monitor), and
// how a change is described in audit entries and pages (phone numbers masked).
import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { maskEmail, maskPhone } from '../../mfa/channels/mask.js';
import type { AccountChange, AccountChangeKind } from '../../store/models/account-change.js';
import type { Models } from '../../store/models/index.js';

/** How long a change may wait for its proof and approval (the emailed link's lifetime too). */
export const CHANGE_TTL_MS = 72 * 60 * 60_000;
/** The record stays a little longer so a late click gets "expired", not "unknown". */
export const CHANGE_RETENTION_MS = CHANGE_TTL_MS + 24 * 60 * 60_000;

/** The change's emailed links (confirm, report) are the shared link secrets of src/security/. */
export { hashLinkToken, isLinkToken, newLinkToken } from '../../security/link-token.js';

export const newChangeId = () => randomBytes(12).toString('hex');

export const isOpen = (change: AccountChange, now: number) => change.expiresAt.getTime() > now;

/** What the change still waits for, in reading order; empty when it can apply. */
export function waitingFor(change: AccountChange): Array<'proof' | 'approval'> {
  return [...(change.proofNeeded && !change.provenAt ? ['proof' as const] : []), ...(change.approvalNeeded && !change.approvedBy ? ['approval' as const] : [])];
}

/** A value as an audit entry or a notice shows it: phones masked, emails in full. */
export function shown(kind: AccountChangeKind, value: string | null): string | null {
  if (value === null) return null;
  return kind === 'phone' ? maskPhone(value) : value;
}

/** A value as the user's old mailbox is told it: both kinds of address masked. */
export function hinted(kind: AccountChangeKind, value: string): string {
  return kind === 'phone' ? maskPhone(value) : kind === 'email' ? maskEmail(value) : value;
}

/** The audit `details` of any step of a change. */
export function changeDetails(change: AccountChange): Record<string, unknown> {
  return {
    change: change._id,
    kind: change.kind,
    before: { [change.kind]: shown(change.kind, change.before) },
    after: { [change.kind]: shown(change.kind, change.after) },
    requestedBy: change.requestedBy.sub,
    ...(change.approvedBy ? { approvedBy: change.approvedBy.sub } : {}),
  };
}

/** The open changes of one user of a practice, oldest first. */
export async function openChangesOf(models: Models, practiceId: Types.ObjectId, userSub: string, now: number): Promise<AccountChange[]> {
  const rows = await models.AccountChange.find({ practiceId, userSub }).sort({ requestedAt: 1 }).lean<AccountChange[]>();
  return rows.filter((change) => isOpen(change, now));
}
