// "Phishing-resistant required" for nobody, the practice's admins, or everyone: such a user's
// sign-in completes only with a passkey or security key (src/interactions/factor-choice.ts). An
// admin cannot lock themselves out: requiring it of admins (or everyone) while the acting admin
// holds no passkey is refused with a field error, nothing stored. The operator (CLI) is no user of
// the practice and is not asked. Needs passkeys allowed as a factor. Audited like every
// practice-security change.
import type { Types } from 'mongoose';
import { appError } from '../errors.js';
import { phrRequiredForRole, type PhrRequiredFor } from '../mfa/factors/passkey-policy.js';
import type { Actor } from './actor.js';
import { requirePasskeysAllowed, setPasskeySwitch, type PasskeySwitchDeps } from './passkey-switches.js';
import { t } from '../i18n/request.js';

export const PHR_FIELD = 'phishingResistantRequired';

export async function setPhishingResistantRequired(deps: PasskeySwitchDeps, actor: Actor, practiceId: Types.ObjectId, requiredFor: PhrRequiredFor) {
  return setPasskeySwitch(deps, actor, practiceId, { phishingResistantRequired: requiredFor }, async (next) => {
    if (next.phishingResistantRequired === 'nobody') return;
    await requirePasskeysAllowed(deps, practiceId, PHR_FIELD);
    if (actor.kind === 'admin' && phrRequiredForRole(next, 'admin') && !(await deps.accounts.holdsPasskey(actor.userId))) {
      throw appError('invalid_input', {
        field: PHR_FIELD,
        message: t('admin:passkeys.admin_has_none'),
      });
    }
  });
}
