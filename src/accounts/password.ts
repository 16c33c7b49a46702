// Password hashing with argon2id. Parameters come from configuration; a hash made with weaker
// parameters is upgraded on the next successful sign-in (see authenticate.ts).
import argon2 from 'argon2';
import { AppError } from '../errors.js';

export interface Argon2Params {
  readonly memoryKiB: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

export const PASSWORD_MIN_LENGTH = 12;
/** Bounds the work an attacker can make us do per attempt. */
export const PASSWORD_MAX_LENGTH = 256;

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
    if (password.length > PASSWORD_MAX_LENGTH) password = password.slice(0, PASSWORD_MAX_LENGTH + 1);
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  };

  return {
    hash: (password) => argon2.hash(password, options),
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

/** Length rules only (NIST SP 800-63B): no composition rules, long passphrases welcome. */
export function assertAcceptablePassword(password: string): void {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH) {
    throw new AppError('password too short', {
      status: 400, code: 'weak_password', userMessage: `Passwords need at least ${PASSWORD_MIN_LENGTH} characters.`,
    });
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new AppError('password too long', {
      status: 400, code: 'weak_password', userMessage: `Passwords may have at most ${PASSWORD_MAX_LENGTH} characters.`,
    });
  }
}
