// The steps of a pending account change after it was asked for. Each step is a compare-and-swap on
// the stored change (two clicks, two admins at once: one wins), is audited, and the last missing
// step applies the change (apply.ts). The expiry is checked here on every step.
//
//   proven   the new address showed it is reachable: the emailed link (proveByLink) or the texted
//            code, checked by the caller (markProven)
//   approved another admin of the practice, never the requester (the user themself, when an admin)
//   refused / cancelled / reported: the change is deleted; the old values simply stay
import type { AccountChange, AccountChangeActor } from '../../store/models/account-change.js';
import { AppError, appError } from '../../errors.js';
import { applyAccountChange } from './apply.js';
import { changeDetails, hashLinkToken, isLinkToken, isOpen, waitingFor } from './record.js';
import type { ChangeServices, Requester, Where } from './request.js';
import { joinMember } from '../memberships.js';

export type StepResult =
  | { status: 'waiting'; change: AccountChange; waitingFor: Array<'proof' | 'approval'> }
  | { status: 'applied'; change: AccountChange }
  | { status: 'gone' };

type Reason = 'superseded' | 'by_admin' | 'expired' | 'changed_meanwhile' | 'email_taken';

const admin = (sub: string): AccountChangeActor => ({ sub, role: 'admin' });

/** The emailed link was opened and confirmed: the new address is reachable. */
export async function proveByLink(services: ChangeServices, token: string, where: Where): Promise<StepResult> {
  if (!isLinkToken(token)) return { status: 'gone' };
  const change = await services.models.AccountChange.findOne({ confirmHash: hashLinkToken(token) }).lean<AccountChange>();
  if (!change || !isOpen(change, services.now())) return { status: 'gone' };
  return markProven(services, change, where);
}

/** The change a still-valid confirmation link is for (to show before the person confirms). */
export async function changeForLink(services: ChangeServices, token: string, purpose: 'confirm' | 'report'): Promise<AccountChange | undefined> {
  if (!isLinkToken(token)) return undefined;
  const field = purpose === 'confirm' ? 'confirmHash' : 'reportHash';
  const change = await services.models.AccountChange.findOne({ [field]: hashLinkToken(token) }).lean<AccountChange>();
  return change && isOpen(change, services.now()) && !(purpose === 'confirm' && change.provenAt) ? change : undefined;
}

/** The new address proved itself; `by` is the admin who typed a texted code (none for a link). */
export async function markProven(services: ChangeServices, change: AccountChange, where: Where, by?: Requester): Promise<StepResult> {
  const now = new Date(services.now());
  const proven = await services.models.AccountChange.findOneAndUpdate(
    { _id: change._id, provenAt: { $exists: false }, expiresAt: { $gt: now } },
    { $set: { provenAt: now }, $unset: { confirmHash: 1 } },
    { returnDocument: 'after' },
  ).lean<AccountChange>();
  if (!proven) return { status: 'gone' };
  const { actor: _requester, ...facts } = about(proven, where);
  await services.audit.record({ ...facts, ...(by ? { actor: admin(by.sub) } : {}), event: 'admin.user.change_proven', outcome: 'success', details: changeDetails(proven) });
  return applyIfReady(services, proven, where);
}

/** A second admin (or the admin the change is about) approves; the requester never can. */
export async function approveAccountChange(services: ChangeServices, change: AccountChange, approver: Requester, where: Where): Promise<StepResult> {
  if (approver.sub === change.requestedBy.sub) throw notYours();
  const now = new Date(services.now());
  const approved = await services.models.AccountChange.findOneAndUpdate(
    { _id: change._id, approvedBy: { $exists: false }, expiresAt: { $gt: now } },
    { $set: { approvedBy: admin(approver.sub), approvedAt: now } },
    { returnDocument: 'after' },
  ).lean<AccountChange>();
  if (!approved) return { status: 'gone' };
  await services.audit.record({ ...about(approved, where), actor: admin(approver.sub), event: 'admin.user.change_approved', outcome: 'success', details: changeDetails(approved) });
  return applyIfReady(services, approved, where);
}

export async function refuseAccountChange(services: ChangeServices, change: AccountChange, by: Requester, where: Where): Promise<boolean> {
  const gone = await services.models.AccountChange.findOneAndDelete({ _id: change._id }).lean<AccountChange>();
  if (!gone) return false;
  await services.audit.record({ ...about(gone, where), actor: admin(by.sub), event: 'admin.user.change_refused', outcome: 'success', details: changeDetails(gone) });
  return true;
}

export async function cancelAccountChange(services: ChangeServices, change: AccountChange, options: { reason: Reason; by?: Requester; where: Where }): Promise<boolean> {
  const gone = await services.models.AccountChange.findOneAndDelete({ _id: change._id }).lean<AccountChange>();
  if (!gone) return false;
  await services.audit.record({
    ...about(gone, options.where), ...(options.by ? { actor: admin(options.by.sub) } : {}),
    event: 'admin.user.change_cancelled', outcome: 'info', reasons: [options.reason], details: changeDetails(gone),
  });
  return true;
}

/** The user's current address says "this was not me": the change is cancelled, and the report audited. */
export async function reportAccountChange(services: ChangeServices, token: string, where: Where): Promise<AccountChange | undefined> {
  const change = await changeForLink(services, token, 'report');
  if (!change) return undefined;
  const gone = await services.models.AccountChange.findOneAndDelete({ _id: change._id }).lean<AccountChange>();
  if (!gone) return undefined;
  // No actor: the user themself, from their own mailbox.
  const { actor: _requester, ...facts } = about(gone, where);
  await services.audit.record({ ...facts, event: 'admin.user.change_reported', outcome: 'failure', reasons: ['reported_by_user'], details: changeDetails(gone) });
  return gone;
}

/** Applies the change once nothing is missing; the claim (a delete) makes sure it applies once. */
async function applyIfReady(services: ChangeServices, change: AccountChange, where: Where): Promise<StepResult> {
  const missing = waitingFor(change);
  if (missing.length > 0) return { status: 'waiting', change, waitingFor: missing };
  const claimed = await services.models.AccountChange.findOneAndDelete({ _id: change._id, expiresAt: { $gt: new Date(services.now()) } }).lean<AccountChange>();
  if (!claimed) return { status: 'gone' };
  const identity = await services.models.User.findOne({ sub: change.userSub });
  const membership = identity ? await services.models.Membership.findOne({ userId: identity._id, practiceId: change.practiceId }).lean() : null;
  const user = identity && membership ? joinMember(identity, membership) : null;
  const current = user ? ((user[change.kind] as string | undefined) ?? null) : undefined;
  if (!user || current !== change.before) {
    await audited(services, claimed, where, 'changed_meanwhile');
    return { status: 'gone' };
  }
  try {
    await applyAccountChange({ ...services, notices: services }, {
      user, kind: change.kind, after: change.after, actor: change.requestedBy, ...where,
      change: { id: change._id, ...(change.approvedBy ? { approvedBy: change.approvedBy.sub } : {}) },
    });
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 409) throw err;
    await audited(services, claimed, where, err.code === 'email_taken' ? 'email_taken' : 'changed_meanwhile');
    throw err;
  }
  return { status: 'applied', change: claimed };
}

async function audited(services: ChangeServices, change: AccountChange, where: Where, reason: Reason): Promise<void> {
  await services.audit.record({ ...about(change, where), event: 'admin.user.change_cancelled', outcome: 'info', reasons: [reason], details: changeDetails(change) });
}

function about(change: AccountChange, where: Where) {
  return { practiceId: change.practiceId, userSub: change.userSub, actor: change.requestedBy, ...where };
}

function notYours(): AppError {
  return appError('own_change_approval', { detail: 'requester approving their own change' });
}
