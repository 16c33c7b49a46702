// What one link of the chain covers. The writer (record.ts) and the verifier (verify.ts) both hash
// through `entryHash`, from the same fields with the same defaults, so a stored entry re-hashes to
// its `hash` exactly until someone changes it.
import type { AuditEntry, AuditEntryDocument } from '../store/models/audit-entry.js';
import { hashCanonical } from './canonical.js';

export type UnhashedEntry = Omit<AuditEntry, 'hash'>;

/** Every field but `hash` (and the store's `_id`), absent ones as null, so old and new readers agree. */
export function hashedFields(entry: Partial<UnhashedEntry>): Record<keyof UnhashedEntry, unknown> {
  return {
    seq: entry.seq ?? null,
    at: entry.at ?? null,
    event: entry.event ?? null,
    outcome: entry.outcome ?? null,
    practiceId: entry.practiceId ?? null,
    userSub: entry.userSub ?? null,
    actor: entry.actor ?? null,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent ?? null,
    clientId: entry.clientId ?? null,
    reasons: entry.reasons ?? [],
    details: entry.details ?? {},
    prevHash: entry.prevHash ?? null,
  };
}

export function entryHash(entry: Partial<UnhashedEntry>): string {
  return hashCanonical(hashedFields(entry));
}

/** A stored entry as callers see it: the store's `_id` left out. */
export function fromDocument(doc: AuditEntryDocument): AuditEntry {
  const { _id: _unused, ...entry } = doc;
  return entry;
}
