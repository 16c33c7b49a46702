// Who runs a command: a practice admin signed in to /admin (acting only within their practice,
// from a network address), or the operator at the command line (any practice, no address). Every
// command takes its actor as an argument, so its audit entries name them the same way whichever
// surface called it.
import type { Types } from 'mongoose';
import type { ChangeAbout } from '../audit/change.js';
import { NotFoundError } from '../errors.js';

export interface AdminActor {
  kind: 'admin';
  sub: string;
  /** The admin's user document _id (to recognise "yourself"). */
  userId: string;
  practiceId: Types.ObjectId;
  ip?: string;
  userAgent?: string;
  /** The admin's own browser session (kept when they sign themselves out everywhere). */
  sessionUid?: string;
}

export interface OperatorActor {
  kind: 'operator';
}

export type Actor = AdminActor | OperatorActor;

export const OPERATOR: OperatorActor = { kind: 'operator' };

/** The `actor` field of an audit entry. */
export function auditActor(actor: Actor): { sub: string; role: string } {
  return actor.kind === 'admin' ? { sub: actor.sub, role: 'admin' } : { sub: 'cli', role: 'operator' };
}

/** Who changes what, for src/audit/change.ts and the change's own entry. */
export function aboutChange(actor: Actor, target: { practiceId?: Types.ObjectId | string; userSub?: string; clientId?: string }): ChangeAbout {
  const practiceId = actor.kind === 'admin' ? actor.practiceId : target.practiceId;
  return {
    ...(practiceId ? { practiceId } : {}),
    actor: auditActor(actor),
    ...(target.userSub ? { userSub: target.userSub } : {}),
    ...(target.clientId ? { clientId: target.clientId } : {}),
    ...(actor.kind === 'admin' && actor.ip ? { ip: actor.ip } : {}),
    ...(actor.kind === 'admin' && actor.userAgent ? { userAgent: actor.userAgent } : {}),
  };
}

/** An admin acts on their own practice only: anything else does not exist for them (404). */
export function assertInScope(actor: Actor, practiceId: Types.ObjectId | string): void {
  if (actor.kind === 'admin' && String(actor.practiceId) !== String(practiceId)) throw new NotFoundError('outside the admin\'s practice');
}

export const isSelf = (actor: Actor, user: { _id: unknown }): actor is AdminActor => actor.kind === 'admin' && actor.userId === String(user._id);
