// Change a practice's security settings (MFA mode, trusted-IP bypass, idle time-out, password
// policy, time zone, language, allowed factors): the given fields over the current ones, all checked before anything is
// stored (src/accounts/practice-security.ts), audited with exactly what changed, nothing when
// nothing did. The admin form sends every field; the CLI only those named.
import type { Types } from 'mongoose';
import { nothingChanged, type Changes } from '../accounts/changes.js';
import type { PracticeSecurity } from '../accounts/practice-security.js';
import type { AuditLog } from '../audit/record.js';
import { assertInScope, type Actor } from './actor.js';
import { change, recordChange } from './audited.js';

export interface PracticeSecurityDeps {
  audit: AuditLog;
  accounts: {
    practiceSecurity(practiceId: Types.ObjectId): Promise<PracticeSecurity>;
    setPracticeSecurity(practiceId: Types.ObjectId, next: PracticeSecurity): Promise<Changes>;
  };
}

export type SecurityPatch = Partial<PracticeSecurity> | ((current: PracticeSecurity) => PracticeSecurity);

/** Returns the settings now in force and what changed. */
export async function setPracticeSecurity(deps: PracticeSecurityDeps, actor: Actor, practiceId: Types.ObjectId, patch: SecurityPatch): Promise<{ settings: PracticeSecurity; changes: Changes }> {
  assertInScope(actor, practiceId);
  const about = { practiceId };
  const changes = await change(deps.audit, actor, about, 'admin.practice.security_changed', async () => {
    const current = await deps.accounts.practiceSecurity(practiceId);
    const next = typeof patch === 'function' ? patch(current) : { ...current, ...patch };
    return deps.accounts.setPracticeSecurity(practiceId, next);
  });
  if (!nothingChanged(changes)) await recordChange(deps.audit, actor, about, 'admin.practice.security_changed', { ...changes });
  return { settings: await deps.accounts.practiceSecurity(practiceId), changes };
}
