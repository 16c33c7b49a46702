// Password hashing with argon2id. Parameters come from configuration; a hash made with weaker
// parameters is upgraded on the next successful sign-in (see authenticate.ts).
import { t } from '../i18n/request.js';
import { ruleText } from '../i18n/password-rules.js';
import argon2 from 'argon2';
import { appError } from '../errors.js';
import { checkPassword, DEFAULT_PASSWORD_POLICY, type PasswordPolicy, type PersonInfo } from './password-policy/index.js';

export interface Argon2Params {
  readonly memoryKiB: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** Bounds the work an attacker can make us do per attempt (code points; a policy may lower it). */
export const PASSWORD_MAX_LENGTH = DEFAULT_PASSWORD_POLICY.maxLength;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False on any mismatch or malformed hash; never throws for bad input. */
  verify(hash: string, password: string): Promise<boolean>;
  needsRehash(hash: string): boolean;
  /** Spends the same time as `verify` when there is no user to check, so failures look alike. */
  verifyDummy(password: string): Promise<false>;
}

export function createPasswordHasher(params: Argon2Params): PasswordHasher {
  const options = {
    type: argon2.argon2id,
    memoryCost: params.memoryKiB,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  } as const;
  let dummyHash: Promise<string> | undefined;

  const verify = async (hash: string, password: string) => {
    // Up to PASSWORD_MAX_LENGTH code points is up to twice as many UTF-16 units; longer never matches.
    if (password.length > 2 * PASSWORD_MAX_LENGTH) password = password.slice(0, 2 * PASSWORD_MAX_LENGTH + 1);
    try {
      return await argon2.verify(hash, password.normalize('NFC'));
    } catch {
      return false;
    }
  };

  return {
    // NFC, as the policy checks it: the same passphrase typed on different keyboards must match.
    hash: (password) => argon2.hash(password.normalize('NFC'), options),
    verify,
    needsRehash: (hash) => {
      try {
        return argon2.needsRehash(hash, { memoryCost: options.memoryCost, timeCost: options.timeCost, parallelism: options.parallelism });
      } catch {
        return true;
      }
    },
    verifyDummy: async (password) => {
      dummyHash ??= argon2.hash('dummy password never matches', options);
      await verify(await dummyHash, password);
      return false;
    },
  };
}

/**
 * Throws a 400 `weak_password` AppError naming every rule of the policy the password misses.
 * `person` is the account's own name and email, which the password must not contain.
 */
export function assertAcceptablePassword(password: string, policy: PasswordPolicy, person: PersonInfo): void {
  const { ok, unmet } = checkPassword(password, policy, person);
  if (ok) return;
  throw appError('weak_password', {
    detail: `password refused by policy: ${unmet.join(', ')}`,
    message: `${t('password:choose_another')} ${unmet.map((rule) => ruleText(rule, policy)).join(' ')}`,
  });
}
