// Deactivate or reactivate a user. Deactivating ends every sign-in of the user (browser sessions,
// grants and tokens; modules told by back-channel logout) even when the user was already inactive:
// a deactivated user must hold no session, whatever left one behind. An admin cannot deactivate
// themselves (another admin must).
import { nothingChanged, type Changes } from '../accounts/changes.js';
import type { AuditLog } from '../audit/record.js';
import { appError } from '../errors.js';
import type { EndedSessions } from '../sessions/end-sessions.js';
import type { Types } from 'mongoose';
import { assertInScope, isSelf, type Actor } from './actor.js';
import { change, recordChange } from './audited.js';
import { endedDetails, target, type EndSessions, type TargetUser } from './deps.js';
import { t } from '../i18n/request.js';

export interface SetUserActiveDeps {
  audit: AuditLog;
  accounts: { setPracticeUserActive(practiceId: Types.ObjectId, userId: Types.ObjectId, active: boolean): Promise<{ changes: Changes }> };
  endSessions: EndSessions;
}

export interface SetUserActiveResult {
  changed: boolean;
  /** What deactivating ended (also when the user was already inactive). */
  ended?: EndedSessions;
}

export async function setUserActive(deps: SetUserActiveDeps, actor: Actor, user: TargetUser, active: boolean): Promise<SetUserActiveResult> {
  assertInScope(actor, user.practiceId);
  if (!active && isSelf(actor, user)) {
    throw appError('invalid_input', { detail: 'admin deactivating themselves', message: t('admin:user.cannot_deactivate_self') });
  }
  const event = active ? 'admin.user.reactivated' : 'admin.user.deactivated';
  const { changes } = await change(deps.audit, actor, target(user), event, () => deps.accounts.setPracticeUserActive(user.practiceId, user._id, active));
  if (active) {
    if (nothingChanged(changes)) return { changed: false };
    await recordChange(deps.audit, actor, target(user), event, { ...changes });
    return { changed: true };
  }
  const ended = await deps.endSessions(user.sub);
  if (!nothingChanged(changes)) {
    await recordChange(deps.audit, actor, target(user), event, { ...changes, ...endedDetails(ended) });
    return { changed: true, ended };
  }
  // Already inactive, yet something was still signed in: that ending is a change of its own.
  if (ended.sessions > 0 || ended.grants > 0) await recordChange(deps.audit, actor, target(user), 'session.ended_everywhere', { ...endedDetails(ended) }, ['user_inactive']);
  return { changed: false, ended };
}
