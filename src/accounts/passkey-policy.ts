// Reading and storing a practice's passkey switches (src/mfa/factors/passkey-policy.ts). The
// sign-in path asks only the two small readers below (practicePasskeyPolicy, holdsPasskey), so a
// change of where practice rules live (identities and memberships) rewires them in one place.
import type { Types } from 'mongoose';
import { appError } from '../errors.js';
import { phrRequiredForRole, resolvePasskeyPolicy, type PasskeyPolicy } from '../mfa/factors/passkey-policy.js';
import type { Models } from '../store/models/index.js';
import { changesBetween, nothingChanged, type Changes } from './changes.js';

type PracticeId = Types.ObjectId | string;

/** The practice's switches (defaults when it has none stored, or when it does not exist). */
export async function practicePasskeyPolicy(models: Pick<Models, 'Practice'>, practiceId: PracticeId): Promise<PasskeyPolicy> {
  return resolvePasskeyPolicy((await models.Practice.findById(practiceId, { passkeyPolicy: 1 }).lean())?.passkeyPolicy);
}

/** Does the practice (as already read) require a passkey of this user? */
export function phrRequiredOfPractice(practice: { passkeyPolicy?: Partial<PasskeyPolicy> | null } | null, user: { role: string }): boolean {
  return phrRequiredForRole(resolvePasskeyPolicy(practice?.passkeyPolicy), user.role);
}

/** Does the user hold at least one passkey or security key? */
export async function holdsPasskey(models: Pick<Models, 'UserFactor'>, userId: Types.ObjectId | string): Promise<boolean> {
  return Boolean(await models.UserFactor.exists({ userId, kind: 'webauthn' }));
}

export function createPasskeyPolicy({ models }: { models: Models }) {
  return {
    passkeyPolicy: (practiceId: PracticeId) => practicePasskeyPolicy(models, practiceId),
    holdsPasskey: (userId: Types.ObjectId | string) => holdsPasskey(models, userId),

    /** Stores the switches; returns exactly what changed (nothing stored when nothing did). */
    async setPasskeyPolicy(practiceId: PracticeId, next: PasskeyPolicy): Promise<Changes> {
      const checked = resolvePasskeyPolicy(next);
      const current = await practicePasskeyPolicy(models, practiceId);
      const changes = changesBetween({ ...current }, { ...checked });
      if (nothingChanged(changes)) return changes;
      const { matchedCount } = await models.Practice.updateOne({ _id: practiceId }, { $set: { passkeyPolicy: checked } });
      if (matchedCount === 0) throw appError('practice_not_found');
      return changes;
    },
  };
}
