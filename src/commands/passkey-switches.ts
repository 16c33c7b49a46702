// What the two passkey-switch commands share: their deps and the audited store of one switch.
import type { Types } from 'mongoose';
import { nothingChanged, type Changes } from '../accounts/changes.js';
import type { PolicyFactor } from '../mfa/factors/factor.js';
import type { PasskeyPolicy } from '../mfa/factors/passkey-policy.js';
import type { AuditLog } from '../audit/record.js';
import { appError } from '../errors.js';
import { assertInScope, type Actor } from './actor.js';
import { change, recordChange } from './audited.js';
import { t } from '../i18n/request.js';

export interface PasskeySwitchDeps {
  audit: AuditLog;
  accounts: {
    passkeyPolicy(practiceId: Types.ObjectId): Promise<PasskeyPolicy>;
    setPasskeyPolicy(practiceId: Types.ObjectId, next: PasskeyPolicy): Promise<Changes>;
    holdsPasskey(userId: Types.ObjectId | string): Promise<boolean>;
    practiceSecurity(practiceId: Types.ObjectId): Promise<{ allowedFactors: PolicyFactor[] }>;
  };
}

/** Checks (`check` throws a field error before anything is stored), stores, audits exactly what changed. */
export async function setPasskeySwitch(
  deps: PasskeySwitchDeps, actor: Actor, practiceId: Types.ObjectId, patch: Partial<PasskeyPolicy>, check: (next: PasskeyPolicy, current: PasskeyPolicy) => Promise<void>,
): Promise<{ settings: PasskeyPolicy; changes: Changes }> {
  assertInScope(actor, practiceId);
  const about = { practiceId };
  const changes = await change(deps.audit, actor, about, 'admin.practice.security_changed', async () => {
    const current = await deps.accounts.passkeyPolicy(practiceId);
    const next = { ...current, ...patch };
    await check(next, current);
    return deps.accounts.setPasskeyPolicy(practiceId, next);
  });
  if (!nothingChanged(changes)) await recordChange(deps.audit, actor, about, 'admin.practice.security_changed', { ...changes });
  return { settings: await deps.accounts.passkeyPolicy(practiceId), changes };
}

/** Passkeys must be an allowed factor before a switch that relies on them is turned on. */
export async function requirePasskeysAllowed(deps: PasskeySwitchDeps, practiceId: Types.ObjectId, field: string): Promise<void> {
  if (!(await deps.accounts.practiceSecurity(practiceId)).allowedFactors.includes('webauthn')) {
    throw appError('invalid_input', { field, message: t('admin:passkeys.allow_first') });
  }
}
