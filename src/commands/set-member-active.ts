// Deactivate or reactivate a person's membership of ONE practice. Deactivating ends only what
// entered that practice (src/accounts/memberships.ts `entriesThrough`: the browser sessions and
// grants recorded per practice), with back-channel logout to the modules; the person's access to
// their other practices stays. Also when already deactivated: whatever still entered it ends.
// An admin cannot deactivate themselves; an invited membership is cancelled, not deactivated.
import type { Types } from 'mongoose';
import { nothingChanged, type Changes } from '../accounts/changes.js';
import type { Memberships } from '../accounts/memberships.js';
import type { AuditLog } from '../audit/record.js';
import { appError, NotFoundError } from '../errors.js';
import type { EndedSessions } from '../sessions/end-sessions.js';
import { assertInScope, type Actor } from './actor.js';
import { change, recordChange } from './audited.js';
import { endedDetails } from './deps.js';
import { t } from '../i18n/request.js';

export interface SetMemberActiveDeps {
  audit: AuditLog;
  memberships: Pick<Memberships, 'findMembership' | 'activateMembership' | 'deactivateMembership' | 'entriesThrough'>;
  endEntries(sub: string, entries: { sessionUids: string[]; grantIds: string[] }): Promise<EndedSessions>;
}

export interface MemberIdentity {
  _id: Types.ObjectId;
  sub: string;
}

export async function setMemberActive(deps: SetMemberActiveDeps, actor: Actor, practiceId: Types.ObjectId, person: MemberIdentity, active: boolean): Promise<{ changed: boolean; ended?: EndedSessions }> {
  assertInScope(actor, practiceId);
  const membership = await deps.memberships.findMembership(person._id, practiceId);
  if (!membership || membership.status === 'invited') throw new NotFoundError('no membership of this practice');
  if (!active && actor.kind === 'admin' && actor.userId === String(person._id)) {
    throw appError('invalid_input', { detail: 'admin deactivating themselves', message: t('admin:user.cannot_deactivate_self') });
  }
  const about = { practiceId, userSub: person.sub };
  const event = active ? 'admin.user.reactivated' : 'admin.user.deactivated';
  const changes: Changes = await change(deps.audit, actor, about, event, () => (active
    ? deps.memberships.activateMembership(person._id, practiceId)
    : deps.memberships.deactivateMembership(person._id, practiceId)));
  if (active) {
    if (nothingChanged(changes)) return { changed: false };
    await recordChange(deps.audit, actor, about, event, { ...changes });
    return { changed: true };
  }
  const ended = await deps.endEntries(person.sub, await deps.memberships.entriesThrough(person.sub, practiceId));
  if (!nothingChanged(changes)) {
    await recordChange(deps.audit, actor, about, event, { ...changes, ...endedDetails(ended) });
    return { changed: true, ended };
  }
  if (ended.sessions > 0 || ended.grants > 0) await recordChange(deps.audit, actor, about, 'session.ended_everywhere', { ...endedDetails(ended) }, ['membership_inactive']);
  return { changed: false, ended };
}
