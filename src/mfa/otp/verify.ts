// Checks what the user typed against a stored code record. Order: a used, burnt or expired code is
// refused whatever was typed (and counts nothing); input that is not 6 digits is `malformed` (counts
// nothing: it cannot be a guess); otherwise the keyed hashes are compared in constant time. Each wrong
// entry is `wrong` and counts; the 5th also burns the code (attemptsLeft 0). The caller stores the
// returned record and, on `wrong`, records a lockout failure.
import { timingSafeEqual } from 'node:crypto';
import { normalizeCode } from './code.js';
import { hashCode } from './hash.js';
import { MAX_ATTEMPTS, type CodeRecord } from './record.js';

export const VERIFY_OUTCOMES = ['ok', 'wrong', 'expired', 'burned', 'used', 'malformed'] as const;
export type VerifyOutcome = (typeof VERIFY_OUTCOMES)[number];

export interface VerifyResult {
  readonly outcome: VerifyOutcome;
  readonly attemptsLeft: number;
  /** The record to store (the same object when nothing changed). */
  readonly record: CodeRecord;
}

export function verifyCode(record: CodeRecord, input: string, binding: string, key: Uint8Array, now: number): VerifyResult {
  const attemptsLeft = Math.max(0, MAX_ATTEMPTS - record.attempts);
  const unchanged = (outcome: VerifyOutcome): VerifyResult => ({ outcome, attemptsLeft, record });
  if (record.usedAt !== undefined) return unchanged('used');
  if (record.burnedAt !== undefined || attemptsLeft === 0) return unchanged('burned');
  if (now >= record.expiresAt) return unchanged('expired');
  const code = normalizeCode(input);
  if (code === undefined) return unchanged('malformed');

  if (sameHash(hashCode(key, binding, code), record.hash)) return { outcome: 'ok', attemptsLeft, record: { ...record, usedAt: now } };
  const attempts = record.attempts + 1;
  const burned = attempts >= MAX_ATTEMPTS ? { burnedAt: now } : {};
  return { outcome: 'wrong', attemptsLeft: MAX_ATTEMPTS - attempts, record: { ...record, attempts, ...burned } };
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'base64url');
  const right = Buffer.from(b, 'base64url');
  return left.length === right.length && timingSafeEqual(left, right);
}
