// A person leaves a practice from /account: their membership there is removed (the practice must
// invite them again to come back) and the sign-ins that entered it end, modules told by back-channel
// logout. Refused, with the reason, when it would lock them out of everything (their last active
// membership: an admin deactivates that one instead) or leave the practice without an active admin.
import type { Types } from 'mongoose';
import type { Memberships } from '../accounts/memberships.js';
import type { AuditLog } from '../audit/record.js';
import type { RequestOrigin } from '../net/request-origin.js';
import type { EndedSessions } from '../sessions/end-sessions.js';
import type { Membership } from '../store/models/membership.js';

export interface LeavePracticeDeps {
  audit: AuditLog;
  memberships: Pick<Memberships, 'listMemberships' | 'removeMembership' | 'entriesThrough'>;
  /** Active admins of a practice (to keep one). */
  activeAdmins(practiceId: Types.ObjectId): Promise<number>;
  endEntries(sub: string, entries: { sessionUids: string[]; grantIds: string[] }): Promise<EndedSessions>;
}

export type LeaveCheck = { ok: true; membership: Membership } | { ok: false; reason: 'not_member' | 'last_active' | 'last_admin' };

export async function canLeave(deps: LeavePracticeDeps, person: { _id: Types.ObjectId }, practiceId: Types.ObjectId): Promise<LeaveCheck> {
  const memberships = await deps.memberships.listMemberships(person._id);
  const membership = memberships.find((candidate) => String(candidate.practiceId) === String(practiceId) && candidate.status !== 'invited');
  if (!membership) return { ok: false, reason: 'not_member' };
  if (membership.status === 'active') {
    if (!memberships.some((other) => other !== membership && other.status === 'active')) return { ok: false, reason: 'last_active' };
    if (membership.role === 'admin' && (await deps.activeAdmins(practiceId)) <= 1) return { ok: false, reason: 'last_admin' };
  }
  return { ok: true, membership };
}

export async function leavePractice(deps: LeavePracticeDeps, person: { _id: Types.ObjectId; sub: string }, practiceId: Types.ObjectId, where: RequestOrigin): Promise<LeaveCheck & { ended?: EndedSessions }> {
  const check = await canLeave(deps, person, practiceId);
  if (!check.ok) return check;
  const entries = await deps.memberships.entriesThrough(person.sub, practiceId);
  if (!(await deps.memberships.removeMembership(person._id, practiceId))) return { ok: false, reason: 'not_member' };
  const ended = await deps.endEntries(person.sub, entries);
  await deps.audit.record({
    event: 'membership.left', outcome: 'success', practiceId, userSub: person.sub, ...where,
    details: { before: { role: check.membership.role, status: check.membership.status }, after: null, sessionsEnded: ended.sessions, grantsRevoked: ended.grants, modulesNotified: ended.modulesNotified },
  });
  return { ...check, ended };
}
