// A user's two-step sign-in: on or off, and whether its codes go by email or text message (text
// needs a mobile number on the account). Checked and stored by the account service; audited with
// exactly what changed, nothing when nothing did.
import type { Types } from 'mongoose';
import { nothingChanged, type Changes } from '../accounts/changes.js';
import type { AuditLog } from '../audit/record.js';
import type { MfaChannel } from '../store/models/user.js';
import { assertInScope, type Actor } from './actor.js';
import { change, recordChange } from './audited.js';
import { target, type TargetUser } from './deps.js';

export interface TwoStepDeps {
  audit: AuditLog;
  accounts: { setUserAccess(practiceId: Types.ObjectId, userId: Types.ObjectId, input: { mfaEnabled: boolean; mfaChannel: MfaChannel }): Promise<Changes> };
}

/** The given settings over the user's; throws a 400 AppError (e.g. text without a phone) before storing. */
export async function setTwoStep(deps: TwoStepDeps, actor: Actor, user: TargetUser, input: { mfaEnabled?: boolean; mfaChannel?: MfaChannel }): Promise<Changes> {
  assertInScope(actor, user.practiceId);
  const changes = await change(deps.audit, actor, target(user), 'admin.user.mfa_changed', () => deps.accounts.setUserAccess(user.practiceId, user._id, {
    mfaEnabled: input.mfaEnabled ?? user.mfaEnabled,
    mfaChannel: input.mfaChannel ?? user.mfaChannel,
  }));
  if (!nothingChanged(changes)) await recordChange(deps.audit, actor, target(user), 'admin.user.mfa_changed', { ...changes });
  return changes;
}
