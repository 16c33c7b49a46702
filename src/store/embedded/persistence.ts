/**
 * A data directory's life: take its lock, rebuild the catalog from `snapshot.ejson` then
 * `journal.ejson` (a damaged last journal record is kept aside in a file, reported as an error and
 * cut off so new entries follow valid ones; damage anywhere else refuses to start), then journal
 * from there on. Snapshots are
 * written to a temp file, fsynced, renamed over the old one and the directory fsynced.
 */
import { EJSON } from 'bson';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, truncateSync, writeSync, promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Doc } from './bson-util.js';
import type { Catalog } from './catalog.js';
import type { CollectionEnv } from './collection.js';
import type { Logger } from './commands/context.js';
import type { JournalEntry } from './entries.js';
import { COMPACT_BYTES, COMPACT_ENTRIES, Journal } from './journal.js';
import { LEGACY_SNAPSHOT_FILE, loadSnapshot, SNAPSHOT_FILE, SnapshotDamage, writeSnapshot, type SnapshotSize } from './snapshot.js';
import { acquireLock } from './lock.js';

export const JOURNAL_FILE = 'journal.ejson';
/** The journal set aside while its snapshot is written; deleted once the snapshot is durable. */
export const ROTATED_JOURNAL_FILE = 'journal.rotated.ejson';

/**
 * Parses one line back into an entry with the value types the wire gives (numbers as numbers,
 * dates as Dates): relaxed parsing does that directly, several times faster than building BSON
 * wrappers and round-tripping them.
 */
function parseEntry(line: string): JournalEntry {
  return EJSON.parse(line, { relaxed: true }) as Doc as JournalEntry;
}

/** A data file damaged where the store cannot tell what was lost: start-up stops, saying what to do. */
export class DamagedDataError extends Error {
  constructor(path: string, offset: number, record: number, isSnapshot = false) {
    super(`${path} is damaged at byte offset ${offset} (record ${record})${isSnapshot ? '' : ', before its last record'}: ` +
      'refusing to start, because going on would silently drop acknowledged writes and apply later ones over the gap. ' +
      (isSnapshot
        ? 'Restore the data directory from a backup (a snapshot is written whole and atomically, so this is disk damage).'
        : 'Stop here and either (1) restore the data directory from a backup, or (2) accept losing that record: copy the ' +
          `data directory aside, delete line ${record} of ${basename(path)} (e.g. \`sed -i '${record}d' ${path}\`), and start again; ` +
          'the change it recorded (one document state, deletion or index change) is then lost.'));
    this.name = 'DamagedDataError';
  }
}

/** What a torn or corrupt record seems to be about (op and namespace only: never document contents). */
function describeRecord(raw: Buffer): string {
  const text = raw.toString('latin1');
  const op = /"op"\s*:\s*"(\w+)"/.exec(text)?.[1];
  const ns = /"ns"\s*:\s*"([\w.$-]{1,200})"/.exec(text)?.[1];
  return op || ns ? `it looks like a '${op ?? '?'}' on ${ns ?? 'an unknown collection'}` : 'its content is unreadable';
}

/** Moves a damaged last record out of the journal into its own file, kept for inspection. */
function keepAside(path: string, raw: Buffer, offset: number): string {
  const aside = `${path}.damaged-at-${offset}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  writeDurably(aside, raw, 'wx');
  fsyncDir(dirname(path));
  return aside;
}

/**
 * Applies every record of `path`; returns the byte length of its valid prefix. A damaged LAST
 * record of the journal (a write torn by a crash, or a corrupt tail) is kept aside in a file and
 * reported as an error naming its offset: it may have been an acknowledged write, and start-up
 * says so. Damage anywhere else (or anywhere in a snapshot, which is written atomically) refuses
 * to start with instructions (DamagedDataError).
 */
function replayFile(path: string, catalog: Catalog, logger: Logger, tailMayBeTorn: boolean): number {
  if (!existsSync(path)) return 0;
  const started = performance.now();
  const text = readFileSync(path);
  let offset = 0;
  let applied = 0;
  let record = 0;
  while (offset < text.length) {
    const newline = text.indexOf(0x0a, offset);
    const end = newline < 0 ? text.length : newline;
    const line = text.toString('utf8', offset, end);
    record++;
    try {
      if (newline < 0) throw new Error('record not terminated');
      if (line.trim()) catalog.apply(parseEntry(line));
      applied++;
    } catch {
      const rest = newline < 0 ? '' : text.toString('utf8', end + 1);
      if (!tailMayBeTorn || rest.trim()) throw new DamagedDataError(path, offset, record);
      const raw = text.subarray(offset);
      const aside = keepAside(path, raw, offset);
      (logger.error ?? logger.warn).call(logger, `${path}: the last record (${raw.length} bytes at byte offset ${offset}) is torn or corrupt ` +
        `and was NOT applied; ${describeRecord(raw)}. If that write was acknowledged before the crash, it is lost. ` +
        `The damaged bytes are kept in ${aside}; ${applied} earlier records were applied.`);
      return offset;
    }
    offset = end + 1;
  }
  if (applied) logger.info(`${path}: replayed ${applied} entries in ${Math.round(performance.now() - started)} ms`);
  return text.length;
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface DataDir {
  journal: Journal;
  close(): Promise<void>;
}

/** Loads the snapshot (BSON, or the Extended JSON one of earlier versions); returns its size. */
function loadAnySnapshot(dir: string, catalog: Catalog, logger: Logger): SnapshotSize {
  const path = join(dir, SNAPSHOT_FILE);
  if (existsSync(path)) {
    const started = performance.now();
    try {
      const size = loadSnapshot(path, catalog);
      logger.info(`${path}: loaded ${size.entries} entries in ${Math.round(performance.now() - started)} ms`);
      return size;
    } catch (err) {
      if (err instanceof SnapshotDamage) throw new DamagedDataError(path, err.offset, err.record, true);
      throw err;
    }
  }
  const legacy = join(dir, LEGACY_SNAPSHOT_FILE);
  return { bytes: replayFile(legacy, catalog, logger, false), entries: 0 };
}

/**
 * A journal set aside by a rotation whose snapshot never completed (a crash or a stop): its
 * entries are already applied; write them, then the live journal's, into one journal again.
 */
function foldRotatedJournal(rotated: string, journal: string, validBytes: number): number {
  const tmp = `${journal}.tmp`;
  const content = Buffer.concat([readFileSync(rotated), existsSync(journal) ? readFileSync(journal).subarray(0, validBytes) : Buffer.alloc(0)]);
  writeDurably(tmp, content, 'w');
  renameSync(tmp, journal);
  fsyncDir(dirname(journal));
  rmSync(rotated);
  return content.length;
}

/** Locks and loads `dir` into `catalog`, then points `env.journal` at the open journal. */
export async function openDataDir(dir: string, catalog: Catalog, env: CollectionEnv, logger: Logger, compactAfterEntries = COMPACT_ENTRIES): Promise<DataDir> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const release = acquireLock(dir, logger);
  try {
    const journalPath = join(dir, JOURNAL_FILE);
    const rotatedPath = join(dir, ROTATED_JOURNAL_FILE);
    for (const stale of [`${SNAPSHOT_FILE}.tmp`, `${JOURNAL_FILE}.tmp`]) rmSync(join(dir, stale), { force: true });
    let snapshot = loadAnySnapshot(dir, catalog, logger);
    replayFile(rotatedPath, catalog, logger, false);
    let valid = replayFile(journalPath, catalog, logger, true);
    if (existsSync(rotatedPath)) valid = foldRotatedJournal(rotatedPath, journalPath, valid);
    else if (existsSync(journalPath)) truncateSync(journalPath, valid);
    const file = await fsp.open(journalPath, 'a', 0o600);
    await file.sync();
    fsyncDir(dir);
    const journal = new Journal(file, valid, logger, {
      // Past the fixed floor, the journal may grow to a quarter of the snapshot before the next
      // one: each snapshot is paid for by a fixed share of its size in writes, so loading stays
      // linear in the data size, and a start-up replays at most a quarter more than the snapshot
      // (journal lines parse slower than snapshot records: 100k users start in < 10 s).
      due: (bytes, entries) => bytes > Math.max(COMPACT_BYTES, snapshot.bytes / 4) || entries > Math.max(compactAfterEntries, snapshot.entries / 4),
      async rotate(current) {
        await current.close();
        renameSync(journalPath, rotatedPath);
        const fresh = await fsp.open(journalPath, 'a', 0o600);
        fsyncDir(dir);
        return fresh;
      },
      async snapshot(stopped) {
        const started = performance.now();
        const written = await writeSnapshot(dir, catalog, stopped);
        if (!written) return false;
        fsyncDir(dir);
        rmSync(rotatedPath);
        fsyncDir(dir);
        snapshot = written;
        logger.info(`journal compacted into a snapshot (${written.entries} entries, ${Math.round(performance.now() - started)} ms in slices)`);
        return true;
      },
    });
    env.journal = journal;
    return {
      journal,
      async close() {
        await journal.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Writes `content` to `path` (owner-only) and fsyncs it before returning. */
function writeDurably(path: string, content: Buffer, flags: 'w' | 'wx'): void {
  const fd = openSync(path, flags, 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
