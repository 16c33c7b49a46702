// Retention: entries older than a date move to an archive file that verifies on its own, and the
// live chain keeps verifying from the archive's last hash.
//
// The file is JSON lines: a header `{ type: 'audit-archive', firstSeq, prevHash, throughSeq,
// lastHash, count, before, at, kid, mac }` (MAC under the audit key), then the entries in seq order
// exactly as stored. Order of work, so that a failure at any step loses nothing:
//   1. refuse unless the live chain verifies (an archive must not launder a break);
//   2. write the file (temporary name, fsync, rename): until then nothing else happened;
//   3. record `audit.archived` { firstSeq, throughSeq, lastHash, count, sha256 } on the chain: the
//      keyed statement that makes a chain starting at throughSeq + 1 legitimate (verify.ts);
//   4. delete the archived entries. If this step fails, run the archive again: it finds the same
//      entries and finishes the deletion.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { AppError } from '../errors.js';
import type { AuditEntryDocument } from '../store/models/audit-entry.js';
import { canonicalJson, GENESIS_HASH } from './canonical.js';
import { fromDocument } from './chain.js';
import type { Checkpoint } from './checkpoint.js';
import type { AuditKeys } from './keys.js';
import type { AuditInput, AuditLog, AuditModels } from './record.js';
import { verifyChain, walkChain, type ChainReport } from './verify.js';

export const ARCHIVE_TYPE = 'audit-archive';

export interface ArchiveHeader {
  type: typeof ARCHIVE_TYPE;
  firstSeq: number;
  /** The hash the first archived entry links to (the genesis hash, or the previous archive's lastHash). */
  prevHash: string;
  throughSeq: number;
  lastHash: string;
  count: number;
  /** Entries written before this time were archived. */
  before: string;
  at: string;
  kid: string;
  mac: string;
}

export interface ArchiveDeps {
  models: AuditModels;
  auditLog: AuditLog;
  now: () => number;
}

export type ArchiveResult = { archived: false } | { archived: true; count: number; firstSeq: number; throughSeq: number; lastHash: string; sha256: string };

export class ChainBrokenError extends AppError {
  constructor(readonly report: Extract<ChainReport, { ok: false }>) {
    const { seq, reason } = report.firstBroken;
    const message = `The audit log chain is broken at entry seq ${seq} (${reason}): nothing was archived. Run "audit verify" and investigate first.`;
    super('audit_chain_broken', { message });
  }
}

export async function archiveEntries({ models, auditLog, now }: ArchiveDeps, before: Date, out: string, by: Pick<AuditInput, 'actor'>): Promise<ArchiveResult> {
  const keys = auditLog.keys;
  const report = await verifyChain({ models, keys });
  if (!report.ok) throw new ChainBrokenError(report);
  const firstKept = await models.AuditEntry.findOne({ at: { $gte: before } }, { seq: 1 }).sort({ seq: 1 }).lean();
  const throughSeq = firstKept ? firstKept.seq - 1 : report.lastSeq ?? 0;
  const firstSeq = report.firstSeq ?? 1;
  if (report.count === 0 || throughSeq < firstSeq) return { archived: false };

  // The chain verified contiguous from firstSeq, so the header is known before any entry is read:
  // the entries then stream from a cursor to the file, however many years they span.
  const last = await models.AuditEntry.findOne({ seq: throughSeq }, { hash: 1 }).lean();
  const first = await models.AuditEntry.findOne({ seq: firstSeq }, { prevHash: 1 }).lean();
  const count = throughSeq - firstSeq + 1;
  const unsigned = {
    type: ARCHIVE_TYPE, firstSeq, prevHash: firstSeq === 1 ? GENESIS_HASH : first!.prevHash, throughSeq, lastHash: last!.hash,
    count, before: before.toISOString(), at: new Date(now()).toISOString(), kid: keys.current.id,
  } as const;
  const header: ArchiveHeader = { ...unsigned, mac: headerMac(unsigned, keys.current.secret) };
  const cursor = models.AuditEntry.find({ seq: { $gte: firstSeq, $lte: throughSeq } }).sort({ seq: 1 }).lean<AuditEntryDocument[]>().cursor({ batchSize: 1000 });
  const sha256 = await writeDurably(out, (async function* lines() {
    yield `${JSON.stringify(header)}\n`;
    try {
      for await (const doc of cursor) yield `${JSON.stringify(fromDocument(doc as AuditEntryDocument))}\n`;
    } finally {
      await cursor.close();
    }
  })());

  await auditLog.record({ event: 'audit.archived', outcome: 'success', ...by, details: { firstSeq, throughSeq, lastHash: header.lastHash, count, sha256 } });
  await models.AuditEntry.deleteMany({ seq: { $lte: throughSeq } });
  return { archived: true, count, firstSeq, throughSeq, lastHash: header.lastHash, sha256 };
}

function headerMac(fields: Omit<ArchiveHeader, 'mac'>, secret: Buffer): string {
  const { type, firstSeq, prevHash, throughSeq, lastHash, count, before, at, kid } = fields;
  return createHmac('sha256', secret).update(canonicalJson({ type, firstSeq, prevHash, throughSeq, lastHash, count, before, at, kid }), 'utf8').digest('hex');
}

/** Writes the lines to `path` (a temporary name, fsync, rename); resolves with the file's SHA-256. */
async function writeDurably(path: string, lines: AsyncIterable<string>): Promise<string> {
  const temporary = `${path}.partial`;
  const file = await open(temporary, 'wx', 0o600);
  const digest = createHash('sha256');
  try {
    for await (const line of lines) {
      digest.update(line);
      await file.write(line);
    }
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  return digest.digest('hex');
}

export type ArchiveReport = { header: ArchiveHeader | null; report: ChainReport; problem?: string };

/**
 * An archive file on its own: the header's MAC, every entry's link from the header's prevHash,
 * and the count and last hash the header states; `checkpoints` inside its range must be reached.
 */
export async function verifyArchive(path: string, keys: AuditKeys, checkpoints: readonly Checkpoint[] = []): Promise<ArchiveReport> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  const fail = (problem: string): ArchiveReport => ({ header: null, report: { ok: false, count: 0, firstBroken: { seq: 0, reason: 'hash_mismatch' } }, problem });
  let header: ArchiveHeader;
  try {
    header = JSON.parse(lines[0] ?? '') as ArchiveHeader;
  } catch {
    return fail('the first line is not an archive header');
  }
  if (header?.type !== ARCHIVE_TYPE || typeof header.mac !== 'string' || !/^[0-9a-f]{64}$/.test(header.mac)) return fail('the first line is not an archive header');
  const key = keys.byId(String(header.kid));
  if (!key) return fail(`its key ${String(header.kid)} is not configured (AUDIT_KEY, AUDIT_PREVIOUS_KEYS)`);
  if (!timingSafeEqual(Buffer.from(headerMac(header, key.secret), 'hex'), Buffer.from(header.mac, 'hex'))) return fail('the header was altered (its MAC does not match)');
  let entries: unknown[];
  try {
    // Times come back as ISO strings: canonical JSON writes a Date and its ISO string alike.
    entries = lines.slice(1).map((line) => JSON.parse(line) as unknown);
  } catch {
    return fail('an entry line is not JSON');
  }
  const inRange = checkpoints.filter((cp) => cp.seq >= header.firstSeq && cp.seq <= header.throughSeq);
  const { report } = await walkChain(entries, keys, { start: { seq: header.firstSeq, prevHash: header.prevHash }, checkpoints: inRange, unkeyedAnchored: true });
  if (report.ok && (report.count !== header.count || report.lastHash !== header.lastHash || report.lastSeq !== header.throughSeq)) {
    return { header, report: { ok: false, count: report.count, firstBroken: { seq: (report.lastSeq ?? header.firstSeq - 1) + 1, reason: 'missing_seq' } }, problem: 'entries are missing at the end of the archive' };
  }
  return { header, report };
}
