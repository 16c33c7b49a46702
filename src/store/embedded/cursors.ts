/**
 * Open cursors: the rest of an already computed result, handed out by getMore in batches.
 * Results are materialised when the cursor opens (documents are immutable, so this is a stable
 * snapshot). Idle cursors die after 10 minutes of wall time, like mongod's cursorTimeoutMillis.
 */
import { Long, calculateObjectSize } from 'bson';
import type { Doc } from './bson-util.js';
import { cursorNotFound } from './errors.js';

const IDLE_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_BATCH = 101;

interface OpenCursor {
  ns: string;
  rest: Doc[];
  lastUsed: number;
}

/** mongod caps a batch at 16 MiB of documents; the reply envelope fits in the rest of the message. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

/** Up to `count` leading documents, stopping before the batch would pass the byte cap (at least one). */
function takeBatch(docs: Doc[], count: number): Doc[] {
  let bytes = 0;
  let taken = 0;
  while (taken < count && taken < docs.length) {
    bytes += calculateObjectSize(docs[taken] as Doc);
    if (bytes > MAX_BATCH_BYTES && taken > 0) break;
    taken++;
  }
  return docs.slice(0, taken);
}

export class Cursors {
  private readonly open = new Map<number, OpenCursor>();
  private nextId = 1;

  /** The first-batch reply for `docs`; keeps a cursor open when more remain. */
  firstBatch(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Doc {
    const size = batchSize === undefined || batchSize <= 0 ? (batchSize === 0 ? 0 : DEFAULT_BATCH) : batchSize;
    const first = takeBatch(docs, size);
    const rest = singleBatch ? [] : docs.slice(first.length);
    let id = 0;
    if (rest.length || (size === 0 && docs.length)) {
      id = this.nextId++;
      this.open.set(id, { ns, rest, lastUsed: Date.now() });
    }
    return { cursor: { firstBatch: first, id: Long.fromNumber(id), ns }, ok: 1 };
  }

  getMore(id: number, ns: string, batchSize: number | undefined): Doc {
    const cursor = this.open.get(id);
    if (!cursor || cursor.ns !== ns) throw cursorNotFound(`cursor id ${id} not found`);
    const batch = takeBatch(cursor.rest, batchSize && batchSize > 0 ? batchSize : cursor.rest.length);
    cursor.rest.splice(0, batch.length);
    cursor.lastUsed = Date.now();
    if (!cursor.rest.length) this.open.delete(id);
    return { cursor: { nextBatch: batch, id: Long.fromNumber(cursor.rest.length ? id : 0), ns }, ok: 1 };
  }

  kill(ids: number[]): { killed: number[]; notFound: number[] } {
    const killed = ids.filter((id) => this.open.delete(id));
    return { killed, notFound: ids.filter((id) => !killed.includes(id)) };
  }

  /** Closes cursors idle for longer than the timeout. */
  reap(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [id, cursor] of this.open) if (cursor.lastUsed < cutoff) this.open.delete(id);
  }
}
