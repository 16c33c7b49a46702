// An operator (or admin) sets a user's password: the same change as a reset or the user's own
// (src/accounts/password-change.ts: policy check, hash stored, every session, grant and token ended
// with back-channel logout, audited, "your password was changed" emailed), then the account lock
// and failure counts are lifted, audited as an unlock. Lifting them is right here and not on the
// user's own change: the actor is not the person who failed, and setting a password is how an
// operator lets a locked-out user back in.
import type { AuditLog } from '../audit/record.js';
import type { PasswordChangeInput, PasswordChangeResult } from '../accounts/password-change.js';
import type { Types } from 'mongoose';
import { assertInScope, auditActor, type Actor } from './actor.js';
import { change } from './audited.js';
import { target, type TargetUser } from './deps.js';
import { unlockUser } from './unlock-user.js';

export interface SetPasswordDeps {
  audit: AuditLog;
  changePassword(input: PasswordChangeInput): Promise<PasswordChangeResult>;
  unlock(userId: Types.ObjectId): Promise<boolean>;
}

export interface SetPasswordResult extends PasswordChangeResult {
  wasLocked: boolean;
}

/** Throws AppError `weak_password` (400, naming every unmet rule) before anything is stored. */
export async function setPassword(deps: SetPasswordDeps, actor: Actor, user: TargetUser, newPassword: string): Promise<SetPasswordResult> {
  assertInScope(actor, user.practiceId);
  const changed = await change(deps.audit, actor, target(user), 'password.changed', () => deps.changePassword({
    user, newPassword, reason: 'operator', actor: auditActor(actor),
    ...(actor.kind === 'admin' && actor.ip ? { ip: actor.ip } : {}),
    ...(actor.kind === 'admin' && actor.userAgent ? { userAgent: actor.userAgent } : {}),
  }));
  const wasLocked = await unlockUser(deps, actor, user, ['password_set']);
  return { ...changed, wasLocked };
}
