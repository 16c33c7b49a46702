/**
 * The snapshot: every collection, index and document as a sequence of BSON documents (journal
 * entries), so loading is one `deserialize` per document (several times faster than parsing
 * Extended JSON). It is written while the store keeps serving: in slices that yield to the event
 * loop, from a live iteration of the catalog (a "fuzzy" snapshot). That is safe because the journal
 * was rotated first and every change since is in the new journal, whose entries are states:
 * replaying them over a snapshot that already holds some of them changes nothing.
 */
import { deserialize, serialize } from 'bson';
import { existsSync, readFileSync, renameSync, rmSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Doc } from './bson-util.js';
import type { Catalog } from './catalog.js';
import type { JournalEntry } from './entries.js';

export const SNAPSHOT_FILE = 'snapshot.bson';
/** The Extended JSON snapshot of earlier versions: still read, replaced by the next snapshot. */
export const LEGACY_SNAPSHOT_FILE = 'snapshot.ejson';

/** Bytes written per slice; a slice also ends after SLICE_MS of serialising. */
const SLICE_BYTES = 1 << 20;
const SLICE_MS = 8;

export interface SnapshotSize {
  bytes: number;
  entries: number;
}

/** A snapshot record that cannot be read: where, so start-up can refuse naming it. */
export class SnapshotDamage extends Error {
  constructor(readonly offset: number, readonly record: number) {
    super(`damaged snapshot record ${record} at byte offset ${offset}`);
  }
}

/** Applies a BSON snapshot to `catalog`; returns its size. Throws SnapshotDamage. */
export function loadSnapshot(path: string, catalog: Catalog): SnapshotSize {
  const data = readFileSync(path);
  let offset = 0;
  let entries = 0;
  while (offset < data.length) {
    const size = data.length - offset >= 4 ? data.readInt32LE(offset) : -1;
    if (size < 5 || offset + size > data.length || data[offset + size - 1] !== 0) throw new SnapshotDamage(offset, entries + 1);
    let entry: JournalEntry;
    try {
      entry = deserialize(data.subarray(offset, offset + size)) as Doc as JournalEntry;
    } catch {
      throw new SnapshotDamage(offset, entries + 1);
    }
    catalog.apply(entry);
    entries++;
    offset += size;
  }
  return { bytes: data.length, entries };
}

/**
 * Writes the whole state to `snapshot.bson.tmp` in slices, fsyncs it and renames it over the
 * snapshot. Resolves undefined (and leaves the old snapshot) when `stopped()` turns true.
 */
export async function writeSnapshot(dir: string, catalog: Catalog, stopped: () => boolean): Promise<SnapshotSize | undefined> {
  const tmp = join(dir, `${SNAPSHOT_FILE}.tmp`);
  const file = await fsp.open(tmp, 'w', 0o600);
  let complete = false;
  let bytes = 0;
  let entries = 0;
  try {
    let chunks: Uint8Array[] = [];
    let pending = 0;
    let sliceStart = performance.now();
    for (const entry of catalog.snapshotEntries()) {
      const bson = serialize(entry);
      chunks.push(bson);
      pending += bson.length;
      entries++;
      if (pending >= SLICE_BYTES || ((entries & 127) === 0 && performance.now() - sliceStart > SLICE_MS)) {
        await file.write(Buffer.concat(chunks)); // the await is the yield: commands run between slices
        bytes += pending;
        [chunks, pending] = [[], 0];
        await new Promise((resolve) => setImmediate(resolve));
        if (stopped()) return undefined;
        sliceStart = performance.now();
      }
    }
    await file.write(Buffer.concat(chunks));
    bytes += pending;
    await file.sync();
    complete = true;
  } finally {
    await file.close();
    if (!complete) rmSync(tmp, { force: true });
  }
  renameSync(tmp, join(dir, SNAPSHOT_FILE));
  if (existsSync(join(dir, LEGACY_SNAPSHOT_FILE))) rmSync(join(dir, LEGACY_SNAPSHOT_FILE));
  return { bytes, entries };
}
