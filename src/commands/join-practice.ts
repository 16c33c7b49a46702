// The person's own answers to an invitation (their /account pages): accept with the emailed link
// (single use, only by the identity it was sent to), accept or decline from their list of pending
// invitations. Each is recorded in the log of the practice it concerns (`membership.joined`,
// `membership.declined`), with the person as subject and no actor (it is their own action).
import type { Types } from 'mongoose';
import type { PracticeJoining } from '../accounts/practice-joining.js';
import type { AuditLog } from '../audit/record.js';
import type { RequestOrigin } from '../net/request-origin.js';

export interface JoinPracticeDeps {
  audit: AuditLog;
  joining: Pick<PracticeJoining, 'accept' | 'acceptPending' | 'decline' | 'invitations'>;
}

export interface Person {
  _id: Types.ObjectId;
  sub: string;
}

/** The practice joined, or null when the link is not (or no longer) usable by this identity. */
export async function acceptWithLink(deps: JoinPracticeDeps, person: Person, token: string, where: RequestOrigin): Promise<Types.ObjectId | null> {
  const taken = await deps.joining.accept(token, person._id);
  if (!taken) return null;
  await deps.audit.record({ event: 'membership.joined', outcome: 'success', practiceId: taken.practiceId, userSub: person.sub, ...where, details: { role: taken.role } });
  return taken.practiceId;
}

export async function acceptPending(deps: JoinPracticeDeps, person: Person, practiceId: Types.ObjectId, where: RequestOrigin): Promise<boolean> {
  const taken = await deps.joining.acceptPending(practiceId, person._id);
  if (!taken) return false;
  await deps.audit.record({ event: 'membership.joined', outcome: 'success', practiceId, userSub: person.sub, ...where, details: { role: taken.role } });
  return true;
}

/** Declines this identity's invitation of that practice (from the link or the list). */
export async function declineInvitation(deps: JoinPracticeDeps, person: Person, practiceId: Types.ObjectId, where: RequestOrigin): Promise<boolean> {
  if (!(await deps.joining.decline(practiceId, person._id))) return false;
  await deps.audit.record({ event: 'membership.declined', outcome: 'success', practiceId, userSub: person.sub, ...where });
  return true;
}
