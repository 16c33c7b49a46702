// Walks the chain in seq order and reports the first broken link:
// - missing_seq: an entry was deleted (the reported seq is the first one missing), including the
//   oldest entries when no `audit.archived` entry accounts for them;
// - hash_mismatch: the entry at seq was changed after it was written (a field edited, added or
//   removed, the entry moved, or re-linked without the audit key);
// - prev_hash_mismatch: the entry before it was replaced or removed, or entries were reordered;
// - unknown_key: the entry names an audit key that is not configured;
// - not_keyed: an entry without a key after keyed ones (forged: only entries from before the chain
//   was keyed may be unkeyed), a first keyed entry that is not the `audit.chain_keyed` anchor
//   committing to the last unkeyed one, or unkeyed entries that no keyed entry commits to (the
//   whole chain re-hashed without the key; named at its first entry);
// - checkpoint_mismatch / truncated: a checkpoint published earlier names another hash at its seq,
//   or a seq the chain no longer reaches (the newest entries were removed).
// Verifying only reads: it never writes onto the chain it checks (docs/audit.md).
import type { AuditEntryDocument } from '../store/models/audit-entry.js';
import { GENESIS_HASH } from './canonical.js';
import { entryHash, hashedFields } from './chain.js';
import type { Checkpoint } from './checkpoint.js';
import type { AuditKeys } from './keys.js';
import type { AuditModels } from './record.js';

export type BrokenReason =
  | 'hash_mismatch' | 'prev_hash_mismatch' | 'missing_seq' | 'unknown_key' | 'not_keyed'
  | 'checkpoint_mismatch' | 'truncated';

export type ChainReport =
  | {
    ok: true;
    count: number;
    /** The oldest entry's seq (above 1 after an archive); null when empty. */
    firstSeq: number | null;
    lastSeq: number | null;
    lastHash: string | null;
    /** Entries from before the chain was keyed (plain SHA-256 links). */
    unkeyed: number;
    /** Checkpoints the chain was shown to reach. */
    checkpoints: number;
  }
  /** `count`: entries found intact before the first broken one. */
  | { ok: false; count: number; firstBroken: { seq: number; reason: BrokenReason } };

/** Where a walk starts: the seq of its first entry and the hash that entry must link to. */
export interface ChainStart {
  seq: number;
  prevHash: string;
}

/** An `audit.archived` entry: the entries through `throughSeq` went to an archive ending in `lastHash`. */
export interface ArchiveAnchor {
  throughSeq: number;
  lastHash: string;
}

/** A field added to a stored entry is tampering too: it is not covered by the hash. */
const STORED_FIELDS: ReadonlySet<string> = new Set([...Object.keys(hashedFields({})), 'kid', 'hash', '_id']);

export interface WalkResult {
  report: ChainReport;
  /** The first entry seen (to check the head of a live chain against the archive anchors). */
  first: ChainStart | null;
  anchors: ArchiveAnchor[];
}

/**
 * Checks entries given in seq order. With `start`, the first entry must be that seq linking to that
 * hash; without, the first entry sets it (the caller checks the head). `checkpoints` sorted by seq.
 */
export async function walkChain(entries: AsyncIterable<unknown> | Iterable<unknown>, keys: AuditKeys, options: { start?: ChainStart; checkpoints?: readonly Checkpoint[]; unkeyedAnchored?: boolean } = {}): Promise<WalkResult> {
  let expectedSeq = options.start?.seq;
  let prevHash = options.start?.prevHash;
  let count = 0;
  let unkeyed = 0;
  let keyedSeen = false;
  let first: ChainStart | null = null;
  const anchors: ArchiveAnchor[] = [];
  const pending = [...(options.checkpoints ?? [])].sort((a, b) => a.seq - b.seq);
  let reached = 0;
  const broken = (seq: number, reason: BrokenReason): WalkResult => ({ report: { ok: false, count, firstBroken: { seq, reason } }, first, anchors });

  for await (const raw of entries) {
    const doc = raw as AuditEntryDocument;
    if (typeof doc?.seq !== 'number' || !Number.isSafeInteger(doc.seq)) return broken(expectedSeq ?? 1, 'hash_mismatch');
    if (first === null) {
      first = { seq: doc.seq, prevHash: String(doc.prevHash) };
      expectedSeq ??= doc.seq;
      prevHash ??= doc.seq === 1 ? GENESIS_HASH : String(doc.prevHash);
    }
    if (doc.seq > expectedSeq!) return broken(expectedSeq!, 'missing_seq');
    // A duplicate seq (only possible with the unique index dropped) fails one of these.
    if (doc.prevHash !== prevHash) return broken(doc.seq, 'prev_hash_mismatch');
    const keyed = doc.kid !== undefined && doc.kid !== null;
    if (keyed && !keys.byId(String(doc.kid))) return broken(doc.seq, 'unknown_key');
    if (!keyed && keyedSeen) return broken(doc.seq, 'not_keyed');
    // The first keyed entry after unkeyed ones must be the anchor committing to the last of them.
    if (keyed && !keyedSeen && unkeyed > 0 && !anchorsUnkeyed(doc)) return broken(doc.seq, 'not_keyed');
    if (entryHash(doc, keys) !== doc.hash || Object.keys(doc).some((key) => !STORED_FIELDS.has(key))) return broken(doc.seq, 'hash_mismatch');
    while (pending[0] && pending[0].seq < doc.seq) pending.shift(); // before this walk's start (archived)
    if (pending[0]?.seq === doc.seq) {
      if (pending[0].hash !== doc.hash) return broken(doc.seq, 'checkpoint_mismatch');
      while (pending[0]?.seq === doc.seq) pending.shift();
      reached += 1;
    }
    if (keyed) keyedSeen = true;
    else unkeyed += 1;
    const anchor = anchorOf(doc);
    if (anchor) anchors.push(anchor);
    prevHash = doc.hash;
    expectedSeq = doc.seq + 1;
    count += 1;
  }
  if (pending.length > 0) return broken(expectedSeq ?? 1, 'truncated');
  // Unkeyed entries and no keyed one after them: nothing the key vouches for commits to them
  // (an archive's keyed header does, for an archive file: `unkeyedAnchored`).
  if (unkeyed > 0 && !keyedSeen && !options.unkeyedAnchored) {
    return { report: { ok: false, count: 0, firstBroken: { seq: first!.seq, reason: 'not_keyed' } }, first, anchors };
  }
  return {
    report: { ok: true, count, firstSeq: first?.seq ?? null, lastSeq: count ? expectedSeq! - 1 : null, lastHash: count ? prevHash! : null, unkeyed, checkpoints: reached },
    first,
    anchors,
  };
}

function anchorsUnkeyed(doc: AuditEntryDocument): boolean {
  const { unkeyedThrough, lastUnkeyedHash } = (doc.details ?? {}) as { unkeyedThrough?: unknown; lastUnkeyedHash?: unknown };
  return doc.event === 'audit.chain_keyed' && unkeyedThrough === doc.seq - 1 && lastUnkeyedHash === doc.prevHash;
}

function anchorOf(doc: AuditEntryDocument): ArchiveAnchor | undefined {
  if (doc.event !== 'audit.archived' || doc.outcome !== 'success') return undefined;
  const { throughSeq, lastHash } = doc.details as { throughSeq?: unknown; lastHash?: unknown };
  return typeof throughSeq === 'number' && typeof lastHash === 'string' ? { throughSeq, lastHash } : undefined;
}

export interface VerifyChainDeps {
  models: AuditModels;
  keys: AuditKeys;
}

/**
 * The whole live chain, in batches from a cursor. Its oldest entry must be seq 1, or follow an
 * archive that a verified `audit.archived` entry of the chain accounts for.
 */
export async function verifyChain({ models, keys }: VerifyChainDeps, options: { checkpoints?: readonly Checkpoint[] } = {}): Promise<ChainReport> {
  const cursor = models.AuditEntry.find({}).sort({ seq: 1 }).lean<AuditEntryDocument[]>().cursor({ batchSize: 1000 });
  let walk: WalkResult;
  try {
    walk = await walkChain(cursor, keys, options);
  } finally {
    await cursor.close();
  }
  const { report, first, anchors } = walk;
  if (!report.ok || !first || first.seq === 1) return report;
  const archived = anchors.some((anchor) => anchor.throughSeq === first.seq - 1 && anchor.lastHash === first.prevHash);
  if (archived) return report;
  // The oldest entries are gone and no archive accounts for them: missing from the last archived seq on.
  const earlier = anchors.filter((anchor) => anchor.throughSeq < first.seq - 1).map((anchor) => anchor.throughSeq);
  return { ok: false, count: 0, firstBroken: { seq: Math.max(0, ...earlier) + 1, reason: 'missing_seq' } };
}

/** What each break means, for people (the CLI and the admin page). */
export const BROKEN_REASON_TEXT: Record<BrokenReason, string> = {
  hash_mismatch: 'the entry was changed after it was written',
  prev_hash_mismatch: 'the entry before it was changed, replaced or removed, or entries were reordered',
  missing_seq: 'the entry is missing (deleted)',
  unknown_key: 'the entry names an audit key that is not configured',
  not_keyed: 'the entry is not sealed with the audit key where it must be (re-hashed without the key)',
  checkpoint_mismatch: 'the entry differs from the one a published checkpoint recorded',
  truncated: 'the newest entries were removed: the chain no longer reaches a published checkpoint',
};
