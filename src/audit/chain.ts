// What one link of the chain covers. The writer (record.ts) and the verifier (verify.ts) both hash
// through `entryHash`, from the same fields with the same defaults, so a stored entry re-hashes to
// its `hash` exactly until someone changes it.
//
// A keyed entry (`kid` set) is linked by HMAC-SHA256 under that audit key over every field,
// `kid` and `prevHash` included: without the key nobody can re-link the chain after a change.
// Entries from before the chain was keyed (no `kid`) keep their plain SHA-256; the first keyed
// entry commits to the last of them through its `prevHash` (docs/audit.md, "Entries from before").
import { createHmac } from 'node:crypto';
import type { AuditEntry, AuditEntryDocument } from '../store/models/audit-entry.js';
import { canonicalJson, hashCanonical } from './canonical.js';
import type { AuditKeys } from './keys.js';

export type UnhashedEntry = Omit<AuditEntry, 'hash'>;

type Hashed = Omit<UnhashedEntry, 'kid'>;

/** Every field but `hash`, `kid` (and the store's `_id`), absent ones as null, so old and new readers agree. */
export function hashedFields(entry: Partial<UnhashedEntry>): Record<keyof Hashed, unknown> {
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

/**
 * The entry's link: HMAC under the key its `kid` names, or SHA-256 for an unkeyed (pre-key) entry.
 * undefined when the entry names a key that `keys` does not hold.
 */
export function entryHash(entry: Partial<UnhashedEntry>, keys: AuditKeys): string | undefined {
  if (entry.kid === undefined || entry.kid === null) return hashCanonical(hashedFields(entry));
  const key = keys.byId(entry.kid);
  if (!key) return undefined;
  return createHmac('sha256', key.secret).update(canonicalJson({ ...hashedFields(entry), kid: entry.kid }), 'utf8').digest('hex');
}

/** A stored entry as callers see it: the store's `_id` left out. */
export function fromDocument(doc: AuditEntryDocument): AuditEntry {
  const { _id: _unused, ...entry } = doc;
  return entry;
}
