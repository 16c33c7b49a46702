// Sign a user out everywhere: browser sessions, grants and their tokens; modules learn it by
// back-channel logout. An admin doing it to themselves keeps the browser they are using.
// "Everywhere" is the actor's reach: a practice admin ends what entered THEIR practice (the person
// may work for another practice too, whose sign-ins are not theirs to end or to count); the
// operator ends every sign-in of the identity.
import type { Memberships } from '../accounts/memberships.js';
import type { AuditLog } from '../audit/record.js';
import type { EndedSessions } from '../sessions/end-sessions.js';
import { assertInScope, isSelf, type Actor } from './actor.js';
import { change, recordChange } from './audited.js';
import { target, type EndSessions, type TargetUser } from './deps.js';

export interface EndSessionsDeps {
  audit: AuditLog;
  endSessions: EndSessions;
  memberships: Pick<Memberships, 'entriesThrough'>;
  endEntries(sub: string, entries: { sessionUids: string[]; grantIds: string[] }): Promise<EndedSessions>;
}

export async function endAllSessions(deps: EndSessionsDeps, actor: Actor, user: TargetUser): Promise<EndedSessions> {
  assertInScope(actor, user.practiceId);
  const keep = isSelf(actor, user) && actor.sessionUid ? { keepSessionUid: actor.sessionUid } : {};
  const ended = await change(deps.audit, actor, target(user), 'session.ended_everywhere', async () => {
    if (actor.kind !== 'admin') return deps.endSessions(user.sub, keep);
    const entries = await deps.memberships.entriesThrough(user.sub, user.practiceId);
    return deps.endEntries(user.sub, { ...entries, sessionUids: entries.sessionUids.filter((uid) => uid !== keep.keepSessionUid) });
  });
  await recordChange(deps.audit, actor, target(user), 'session.ended_everywhere', {
    before: { sessions: ended.sessions, grants: ended.grants }, after: { sessions: 0, grants: 0 }, modulesNotified: ended.modulesNotified,
  });
  return ended;
}
