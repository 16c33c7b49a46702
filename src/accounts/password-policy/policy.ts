// A practice's password policy: defaults that satisfy NIST SP 800-63B (length 12, up to 256, any
// Unicode, checked against common passwords and the person's own name and email) plus the seed
// documents' character classes, each switchable off by the practice.
import { type AppError, appError } from '../../errors.js';

export interface PasswordPolicy {
  /** Fewest code points; 8 is NIST's floor (with MFA), 12 our default. */
  readonly minLength: number;
  /** Most code points; bounds hashing work. NIST asks that at least 64 be allowed. */
  readonly maxLength: number;
  readonly requireUpper: boolean;
  readonly requireLower: boolean;
  readonly requireDigit: boolean;
  readonly requireSpecial: boolean;
  readonly rejectCommon: boolean;
  readonly rejectPersonal: boolean;
}

export const MIN_LENGTH_BOUNDS = { min: 8, max: 64 } as const;
export const MAX_LENGTH_BOUNDS = { min: 64, max: 256 } as const;

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = Object.freeze({
  minLength: 12,
  maxLength: 256,
  requireUpper: true,
  requireLower: true,
  requireDigit: true,
  requireSpecial: true,
  rejectCommon: true,
  rejectPersonal: true,
});

const SWITCHES = ['requireUpper', 'requireLower', 'requireDigit', 'requireSpecial', 'rejectCommon', 'rejectPersonal'] as const;

/**
 * The effective policy from what a practice stored (possibly nothing, possibly only some fields):
 * missing fields take the defaults. Throws a 400 AppError for out-of-range values so an admin's
 * mistake is named rather than silently corrected.
 */
export function resolvePasswordPolicy(stored?: Partial<PasswordPolicy> | null): PasswordPolicy {
  const policy = { ...DEFAULT_PASSWORD_POLICY };
  if (!stored) return policy;
  const { minLength = policy.minLength, maxLength = policy.maxLength } = stored;
  if (!Number.isInteger(minLength) || minLength < MIN_LENGTH_BOUNDS.min || minLength > MIN_LENGTH_BOUNDS.max) {
    throw invalidPolicy(`minLength must be a whole number from ${MIN_LENGTH_BOUNDS.min} to ${MIN_LENGTH_BOUNDS.max}`);
  }
  if (!Number.isInteger(maxLength) || maxLength < MAX_LENGTH_BOUNDS.min || maxLength > MAX_LENGTH_BOUNDS.max) {
    throw invalidPolicy(`maxLength must be a whole number from ${MAX_LENGTH_BOUNDS.min} to ${MAX_LENGTH_BOUNDS.max}`);
  }
  const switches: Partial<Record<(typeof SWITCHES)[number], boolean>> = {};
  for (const name of SWITCHES) {
    const value = stored[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean') throw invalidPolicy(`${name} must be true or false`);
    switches[name] = value;
  }
  return { ...policy, ...switches, minLength, maxLength };
}

function invalidPolicy(message: string): AppError {
  return appError('invalid_input', { detail: `invalid password policy: ${message}`, message });
}
