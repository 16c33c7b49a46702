// Recovery codes: 10 single-use codes from the CSPRNG (10 characters of a 31-letter alphabet, ~49.5
// bits each), shown once and stored only as keyed hashes (HMAC-SHA-256 with the one-time-code key,
// bound to the user). A new set replaces the old one whole. A code is spent by removing its hash
// with one atomic update, so two requests racing with one code cannot both pass; a spent or unknown
// code is simply wrong (and the sign-in step counts it toward the lockout).
import { createHmac, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import type { Models } from '../../../store/models/index.js';
import type { FactorUser, TypedFactor, TypedOutcome } from '../factor.js';

export const RECOVERY_CODE_COUNT = 10;
// No 0, 1, i, l or o: nothing to mistake when read off paper (31 letters, ~49.5 bits a code).
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const LENGTH = 10;

export interface RecoveryDeps {
  models: Pick<Models, 'UserFactor'>;
  /** The one-time-code HMAC key (OTP_HMAC_KEY). */
  key: Uint8Array;
  now: () => number;
}

/** Lower case, no spaces or dashes; undefined when it cannot be a recovery code. */
export function normalizeRecoveryCode(input: string): string | undefined {
  const code = input.toLowerCase().replace(/[\s-]/g, '');
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

export type RecoveryCodes = ReturnType<typeof createRecoveryCodes>;

export function createRecoveryCodes({ models, key, now }: RecoveryDeps) {
  const { UserFactor } = models;
  const hashOf = (user: { sub: string }, code: string) => createHmac('sha256', key).update(`recovery|${user.sub}|${code}`).digest('base64url');

  const factor: TypedFactor = {
    name: 'recovery',
    family: 'typed',
    label: 'Use a recovery code',
    // RFC 8176 has no value for a look-up secret; `otp` ("one-time password") is the closest
    // honest one: each code works once. It claims no hardware (`hwk`) or software key (`swk`).
    amr: ['otp'],
    input: { label: 'Recovery code', autocomplete: 'off', inputmode: 'text', maxlength: 16 },
    usable: async (user) => Boolean(await UserFactor.exists({ userId: user._id, kind: 'recovery', 'codes.0': { $exists: true } })),
    async verify(user, input): Promise<TypedOutcome> {
      const code = normalizeRecoveryCode(input);
      if (!code) return 'malformed';
      const hash = hashOf(user, code);
      const spent = await UserFactor.updateOne({ userId: user._id, kind: 'recovery', codes: hash }, { $pull: { codes: hash }, $set: { lastUsedAt: new Date(now()) } });
      return spent.modifiedCount === 1 ? 'ok' : 'wrong';
    },
  };

  return {
    factor,
    /** How many unused codes the user has (0 without a set). */
    async remaining(user: FactorUser): Promise<number> {
      const doc = await UserFactor.findOne({ userId: user._id, kind: 'recovery' }, { codes: 1 }).lean();
      return doc?.codes?.length ?? 0;
    },
    /** A new set, returned once in the clear; the previous set no longer works. */
    async regenerate(user: FactorUser): Promise<string[]> {
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''));
      const _id = new Types.ObjectId();
      await UserFactor.create({ _id, userId: user._id, kind: 'recovery', name: 'Recovery codes', createdAt: new Date(now()), codes: codes.map((code) => hashOf(user, code)) });
      // Only the sets made before this one: two requests at once (a double click) must not each delete
      // the other's set and leave none, the user holding printed codes that do not work. The newest wins.
      await UserFactor.deleteMany({ userId: user._id, kind: 'recovery', _id: { $lt: _id } });
      return codes.map((code) => `${code.slice(0, 5)}-${code.slice(5)}`);
    },
    async remove(user: FactorUser): Promise<boolean> {
      return (await UserFactor.deleteMany({ userId: user._id, kind: 'recovery' })).deletedCount > 0;
    },
  };
}
