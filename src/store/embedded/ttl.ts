/**
 * The background sweeper: like mongod's TTL monitor (every 60 s by default) it removes expired
 * documents, using the store's clock; it also reaps idle cursors. The timer is unref'd so it
 * never keeps the process alive. Reads hide expired documents between sweeps (collection.ts).
 */
import type { Logger } from './commands/context.js';

export function startSweeper(intervalMs: number, sweep: () => number, reapCursors: () => void, logger: Logger): () => void {
  const timer = setInterval(() => {
    const removed = sweep();
    if (removed) logger.info(`TTL sweep removed ${removed} documents`);
    reapCursors();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
