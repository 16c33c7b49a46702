/**
 * A large `insert` runs in slices: a command is synchronous (see commands/context.ts), so one
 * 1,000-document insertMany would otherwise hold the event loop for all of it (≈ 100 ms and more
 * at 100k documents on a shared core). mongod does not make an insertMany atomic either: other
 * clients may see (and write) between its documents, and so they may here, between slices. The
 * reply is the one mongod gives for the whole command: `n` summed, `writeErrors` indexed from the
 * command's first document, and an ordered insert stops at its first error.
 */
import type { Doc } from './bson-util.js';

/** Documents inserted between two yields to the event loop (≈ 5–15 ms of work). */
export const INSERT_SLICE = 100;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** True for an insert command with more documents than one slice. */
export function isLargeInsert(command: Doc): boolean {
  const documents = command.documents;
  return typeof command.insert === 'string' && Array.isArray(documents) && documents.length > INSERT_SLICE;
}

/**
 * Runs `command` (an insert) slice by slice through `run`, yielding between slices; stops early
 * when a slice fails as a whole (ok: 0) or an ordered insert met a write error.
 */
export async function runInSlices(command: Doc, run: (slice: Doc) => Doc): Promise<Doc> {
  const documents = command.documents as Doc[];
  const ordered = command.ordered !== false;
  const writeErrors: Doc[] = [];
  let n = 0;
  for (let from = 0; from < documents.length; from += INSERT_SLICE) {
    if (from > 0) await yieldToLoop();
    const reply = run({ ...command, documents: documents.slice(from, from + INSERT_SLICE) });
    if (reply.ok !== 1) return from === 0 ? reply : { ...reply, n };
    n += reply.n as number;
    for (const error of (reply.writeErrors as Doc[] | undefined) ?? []) writeErrors.push({ ...error, index: (error.index as number) + from });
    if (ordered && writeErrors.length) break;
  }
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
}
