// Lift an account lock (failed passwords or codes) and forget the failure count.
import type { Types } from 'mongoose';
import type { AuditLog } from '../audit/record.js';
import { assertInScope, type Actor } from './actor.js';
import { change, recordChange } from './audited.js';
import { target, type TargetUser } from './deps.js';

export interface UnlockUserDeps {
  audit: AuditLog;
  /** True when the user was locked anywhere (src/mfa/account-lockout.ts). */
  unlock(userId: Types.ObjectId): Promise<boolean>;
}

/** True when the user was locked. Not locked: the counters are still reset, audited as not applied. */
export async function unlockUser(deps: UnlockUserDeps, actor: Actor, user: TargetUser, reasons?: string[]): Promise<boolean> {
  assertInScope(actor, user.practiceId);
  const wasLocked = await change(deps.audit, actor, target(user), 'account.unlocked', () => deps.unlock(user._id));
  if (wasLocked) await recordChange(deps.audit, actor, target(user), 'account.unlocked', { before: { locked: true }, after: { locked: false } }, reasons);
  return wasLocked;
}
