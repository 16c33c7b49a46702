// What the I/O layer persists for an issued code: the keyed hash and the times and counts the
// rules need; never the code. Valid 10 minutes, single use, burnt by the 5th wrong entry.
import { generateCode } from './code.js';
import { hashCode } from './hash.js';

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;

export interface CodeRecord {
  readonly hash: string;
  readonly issuedAt: number;
  /** First instant the code is no longer accepted (issuedAt + CODE_TTL_MS). */
  readonly expiresAt: number;
  /** Wrong entries so far. */
  readonly attempts: number;
  readonly usedAt?: number;
  readonly burnedAt?: number;
}

export function newCodeRecord(hash: string, now: number): CodeRecord {
  return { hash, issuedAt: now, expiresAt: now + CODE_TTL_MS, attempts: 0 };
}

export interface IssueInput {
  readonly randomBytes: (n: number) => Uint8Array;
  readonly key: Uint8Array;
  readonly binding: string;
  readonly now: number;
}

/** A fresh code (to send, never to store or log) and the record to store. */
export function issueCode({ randomBytes, key, binding, now }: IssueInput): { code: string; record: CodeRecord } {
  const code = generateCode(randomBytes);
  return { code, record: newCodeRecord(hashCode(key, binding, code), now) };
}
