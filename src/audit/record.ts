// Writes audit entries: append-only, chained by HMAC under the audit key, secrets redacted, awaited.
//
// How callers order their writes (standalone MongoDB has no transactions):
// - A security decision (sign-in accepted, code verified, export handed out, MFA waived): record
//   FIRST and act only when `record` resolved. If the audit write fails, the decision is not acted on.
// - An admin or operator change of stored state: through `auditedChange` (change.ts), which records
//   the intent first, so a change never exists without its entry (docs/audit.md).
// - A person's own change (password change): write the change, then record; when `record` rejects,
//   its AuditWriteError propagates so the request fails (503, "please try again").
// Never catch an AuditWriteError to carry on.
//
// Chain: one global sequence. A writer takes the last entry (the one it appended itself, else read
// from the store), inserts seq = last + 1 with prevHash = last.hash; the unique index on `seq` makes a concurrent writer of another instance fail with a
// duplicate key, and it retries on the new last entry after a short random pause. Within one
// process the writes queue up (one append in flight per audit log): a crowd of writers retrying
// against each other would otherwise spend most round-trips losing races. Entries that queued up
// while an append was in flight go together in the next one (one ordered insert, chained in
// queue order), so the queue's throughput grows with load instead of capping it.
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors.js';
import type { AuditActor, AuditEntry, AuditEntryModel } from '../store/models/audit-entry.js';
import { GENESIS_HASH } from './canonical.js';
import { entryHash, type UnhashedEntry } from './chain.js';
import type { AuditKeys } from './keys.js';
import { AUDIT_OUTCOMES, isAuditEvent, type AuditEvent, type AuditOutcome } from './events.js';
import { redactDetails } from './redact.js';
import { isDuplicateKey } from '../store/duplicate-key.js';

export interface AuditInput {
  event: AuditEvent;
  outcome: AuditOutcome;
  /** The practice the event belongs to (hex id); absent only when none is known. */
  practiceId?: string | { toHexString(): string };
  /** The person the event is about. */
  userSub?: string;
  /** Who caused it when not that person: an admin, or `{ sub: 'cli' }` for an operator command. */
  actor?: { sub: string; role?: string };
  ip?: string;
  userAgent?: string;
  clientId?: string;
  /** Closed-set names (e.g. the risk engine's reasons), never free text. */
  reasons?: readonly string[];
  /** e.g. `{ before, after }`; redacted (see redact.ts) and stored as plain JSON. */
  details?: Record<string, unknown>;
}

export interface AuditLog {
  /** Resolves with the stored entry; rejects with AuditWriteError. */
  record(input: AuditInput): Promise<AuditEntry>;
  /**
   * Several entries of one decision, in this order, in one append (one insert unless another
   * instance takes a seq meanwhile); resolves when all are stored, else rejects with AuditWriteError.
   */
  recordAll(inputs: AuditInput[]): Promise<AuditEntry[]>;
  /** The keys it links with (the current one) and verifies with (all). */
  readonly keys: AuditKeys;
}

export interface AuditModels {
  AuditEntry: AuditEntryModel;
}

export interface AuditLogOptions {
  models: AuditModels;
  /** The current key links new entries (keys.ts). */
  keys: AuditKeys;
  /** Server clock, ms since the epoch. */
  now: () => number;
  /** Tries when other writers keep taking the next seq (default 20). */
  maxAttempts?: number;
  /** Told of each entry once it is stored (metrics); must not throw. */
  onRecord?: (entry: AuditEntry) => void;
}

export class AuditWriteError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('audit_unavailable', { detail: message, cause });
  }
}

const LIMITS = { id: 200, ip: 64, userAgent: 512, reason: 100, reasons: 32 };
/** Entries per insert at most: bounds one command's size and the work lost to a race. */
const MAX_BATCH = 50;

type Fields = Omit<UnhashedEntry, 'seq' | 'prevHash' | 'kid'>;

/** `list` as the next entries after `last`, each linked to the one before under the current key. */
function chain(list: Fields[], last: Pick<AuditEntry, 'seq' | 'hash'> | null, keys: AuditKeys): AuditEntry[] {
  let previous = { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH };
  return list.map((fields) => {
    const unhashed: UnhashedEntry = { seq: previous.seq + 1, ...fields, prevHash: previous.hash, kid: keys.current.id };
    const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed, keys)! };
    previous = entry;
    return entry;
  });
}

export function createAuditLog({ models, keys, now, maxAttempts = 20, onRecord }: AuditLogOptions): AuditLog {
  // Without the unique seq index two writers could fork the chain: make sure it exists once.
  let indexes: Promise<unknown> | undefined;
  const ensureIndexes = () => (indexes ??= models.AuditEntry.createIndexes().catch((err: unknown) => {
    indexes = undefined;
    throw err;
  }));

  // The queue: one append in flight; whatever waits meanwhile is the next append's batch.
  const waiting: Array<{ fields: Fields; resolve(entry: AuditEntry): void; reject(err: unknown): void }> = [];
  let draining = false;
  // Entries pushed in one call are consecutive in the queue, so they go in the same append.
  const enqueue = (list: Fields[]) => {
    const stored = list.map((fields) => new Promise<AuditEntry>((resolve, reject) => waiting.push({ fields, resolve, reject })));
    if (!draining) void drain();
    return Promise.all(stored);
  };
  async function drain(): Promise<void> {
    draining = true;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, MAX_BATCH);
      const { stored, err } = await append(batch.map((item) => item.fields));
      batch.forEach((item, i) => {
        if (stored[i]) item.resolve(stored[i]);
        else item.reject(err);
      });
    }
    draining = false;
  }

  // The entry this process appended last: the next append links to it without reading the chain's
  // end back (one round trip, and no sort). Another instance appending meanwhile makes the insert
  // fail on the unique seq, and the end is then read from the store.
  let last: Pick<AuditEntry, 'seq' | 'hash' | 'kid'> | null | undefined;
  const readLast = () => models.AuditEntry.findOne({}, { seq: 1, hash: 1, kid: 1 }).sort({ seq: -1 }).lean();

  /** Links `list` to the chain's end in order; on failure, says which were stored before it. */
  async function append(list: Fields[]): Promise<{ stored: AuditEntry[]; err?: unknown }> {
    const stored: AuditEntry[] = [];
    try {
      await ensureIndexes();
      for (let attempt = 1; stored.length < list.length; attempt += 1) {
        if (last === undefined) last = await readLast();
        // The chain's end is an entry from before keying: the first keyed entry is the anchor that
        // commits to it (and says how many came before), then the batch.
        const anchor = last && !last.kid ? [keyedAnchor(last, list[stored.length]!.at)] : [];
        const entries = chain([...anchor, ...list.slice(stored.length)], last, keys);
        try {
          await models.AuditEntry.insertMany(entries, { ordered: true });
          stored.push(...entries.slice(anchor.length));
          last = { seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash, kid: keys.current.id };
          if (anchor.length) onRecord?.(entries[0]!);
        } catch (err) {
          last = undefined;
          if (!isDuplicateSeq(err)) throw err;
          // Another instance took a seq: the ordered insert stopped there, the entries before it are in.
          stored.push(...(await storedOf(entries)).slice(anchor.length));
          if (attempt >= maxAttempts) throw err;
          await sleep(Math.random() * Math.min(2 * attempt, 20));
        }
      }
      return { stored };
    } catch (err) {
      return { stored, err };
    }
  }

  /** Which of `entries` (a prefix, by the ordered insert) the store holds: same seq, same hash. */
  async function storedOf(entries: AuditEntry[]): Promise<AuditEntry[]> {
    const found = await models.AuditEntry.find({ seq: { $in: entries.map((entry) => entry.seq) } }, { seq: 1, hash: 1 }).lean();
    const hashes = new Map(found.map((doc) => [doc.seq, doc.hash]));
    const prefix: AuditEntry[] = [];
    for (const entry of entries) {
      if (hashes.get(entry.seq) !== entry.hash) break;
      prefix.push(entry);
    }
    return prefix;
  }

  async function recordAll(inputs: AuditInput[]): Promise<AuditEntry[]> {
    try {
      const at = new Date(now());
      const entries = await enqueue(inputs.map((input) => ({ ...normalize(input), at })));
      for (const entry of entries) onRecord?.(entry);
      return entries;
    } catch (err) {
      if (err instanceof AuditWriteError) throw err;
      const events = inputs.map((input) => String(input?.event)).join(', ');
      throw new AuditWriteError(`audit write failed for ${events}: ${(err as Error)?.message ?? String(err)}`, err);
    }
  }

  return {
    keys,
    recordAll,
    record: async (input) => (await recordAll([input]))[0]!,
  };
}

/** The `audit.chain_keyed` entry linking the first keyed entry to the last unkeyed one. */
function keyedAnchor(last: Pick<AuditEntry, 'seq' | 'hash'>, at: Date): Fields {
  return {
    event: 'audit.chain_keyed', outcome: 'info', at, practiceId: null, userSub: null, actor: null, ip: null, userAgent: null, clientId: null,
    reasons: [], details: { unkeyedThrough: last.seq, lastUnkeyedHash: last.hash },
  };
}

function normalize(input: AuditInput): Omit<UnhashedEntry, 'seq' | 'prevHash' | 'at'> {
  if (!isAuditEvent(input.event)) throw new AuditWriteError(`unknown audit event ${JSON.stringify(input.event)}`);
  if (!AUDIT_OUTCOMES.includes(input.outcome)) throw new AuditWriteError(`unknown audit outcome ${JSON.stringify(input.outcome)}`);
  const practiceId = input.practiceId === undefined ? null : typeof input.practiceId === 'string' ? input.practiceId : input.practiceId.toHexString();
  if (practiceId !== null && !/^[0-9a-f]{24}$/i.test(practiceId)) throw new AuditWriteError('audit practiceId is not a practice id');
  const reasons = (input.reasons ?? []).slice(0, LIMITS.reasons).map((reason) => clip(String(reason), LIMITS.reason)!);
  return {
    event: input.event,
    outcome: input.outcome,
    practiceId: practiceId?.toLowerCase() ?? null,
    userSub: clip(input.userSub, LIMITS.id),
    actor: input.actor ? actorOf(input.actor) : null,
    ip: clip(input.ip, LIMITS.ip),
    userAgent: clip(input.userAgent, LIMITS.userAgent),
    clientId: clip(input.clientId, LIMITS.id),
    reasons,
    details: redactDetails(input.details ?? {}),
  };
}

function actorOf(actor: { sub: string; role?: string }): AuditActor {
  const sub = clip(actor.sub, LIMITS.id);
  if (!sub) throw new AuditWriteError('audit actor needs a sub');
  return { sub, role: clip(actor.role, LIMITS.id) };
}

/** Trimmed, at most `max` characters, control characters as spaces; empty becomes null. */
function clip(value: string | undefined | null, max: number): string | null {
  if (value === undefined || value === null) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this strips
  const text = String(value).replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, max);
  return text === '' ? null : text;
}

function isDuplicateSeq(err: unknown): boolean {
  const candidate = err as { code?: unknown; keyPattern?: Record<string, unknown>; message?: unknown };
  if (!isDuplicateKey(err)) return false;
  return candidate.keyPattern ? 'seq' in candidate.keyPattern : /seq_1/.test(String(candidate.message));
}
