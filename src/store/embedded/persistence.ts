/**
 * A data directory's life: take its lock, rebuild the catalog from `snapshot.ejson` then
 * `journal.ejson` (a torn or corrupt line is skipped with a warning, never a crash; a torn tail
 * is cut off so new entries follow valid ones), then journal from there on. Snapshots are
 * written to a temp file, fsynced, renamed over the old one and the directory fsynced.
 */
import { EJSON } from 'bson';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { cloneDoc, type Doc } from './bson-util.js';
import type { Catalog } from './catalog.js';
import type { CollectionEnv } from './collection.js';
import type { Logger } from './commands/context.js';
import type { JournalEntry } from './entries.js';
import { Journal } from './journal.js';
import { acquireLock } from './lock.js';

export const SNAPSHOT_FILE = 'snapshot.ejson';
export const JOURNAL_FILE = 'journal.ejson';

/** Parses one line back into an entry with the same value types the wire would give. */
function parseEntry(line: string): JournalEntry {
  return cloneDoc(EJSON.parse(line, { relaxed: false }) as Doc) as JournalEntry;
}

/** Applies every valid line of `path`; returns the byte length of its valid prefix. */
function replayFile(path: string, catalog: Catalog, logger: Logger): number {
  if (!existsSync(path)) return 0;
  const text = readFileSync(path);
  let offset = 0;
  let applied = 0;
  while (offset < text.length) {
    const newline = text.indexOf(0x0a, offset);
    const end = newline < 0 ? text.length : newline;
    const line = text.toString('utf8', offset, end);
    const isTail = newline < 0 || end + 1 >= text.length;
    try {
      if (newline < 0) throw new Error('line not terminated');
      if (line.trim()) catalog.apply(parseEntry(line));
      applied++;
    } catch {
      if (isTail) {
        logger.warn(`${path}: torn last entry ignored (${text.length - offset} bytes)`);
        return offset;
      }
      logger.warn(`${path}: corrupt entry at byte ${offset} skipped`);
    }
    offset = end + 1;
  }
  if (applied) logger.info(`${path}: replayed ${applied} entries`);
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

/** Writes the whole state as a snapshot, atomically. */
function writeSnapshot(dir: string, catalog: Catalog): void {
  const tmp = join(dir, `${SNAPSHOT_FILE}.tmp`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    let chunk: string[] = [];
    let size = 0;
    for (const entry of catalog.snapshotEntries()) {
      const line = `${EJSON.stringify(entry, { relaxed: false })}\n`;
      chunk.push(line);
      size += line.length;
      if (size > 1 << 20) {
        writeSync(fd, chunk.join(''));
        chunk = [];
        size = 0;
      }
    }
    writeSync(fd, chunk.join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, SNAPSHOT_FILE));
  fsyncDir(dir);
}

export interface DataDir {
  journal: Journal;
  close(): Promise<void>;
}

/** Locks and loads `dir` into `catalog`, then points `env.journal` at the open journal. */
export async function openDataDir(dir: string, catalog: Catalog, env: CollectionEnv, logger: Logger): Promise<DataDir> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const release = acquireLock(dir, logger);
  try {
    replayFile(join(dir, SNAPSHOT_FILE), catalog, logger);
    const journalPath = join(dir, JOURNAL_FILE);
    const valid = replayFile(journalPath, catalog, logger);
    if (existsSync(journalPath)) truncateSync(journalPath, valid);
    const file = await fsp.open(journalPath, 'a', 0o600);
    await file.sync();
    fsyncDir(dir);
    const journal = new Journal(file, valid, logger, () => {
      writeSnapshot(dir, catalog);
      logger.info('journal compacted into a snapshot');
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
