/**
 * The background TTL monitor, like mongod's (every 60 s by default): it deletes expired documents
 * using the store's clock, through each collection's expiry queue, in slices of SLICE documents
 * with a yield to the event loop between them, so a large expiry wave never stalls the server.
 * Between passes an expired document stays readable, exactly as on mongod: callers check expiry
 * themselves. The same timer reaps idle cursors; it is unref'd so it never keeps the process alive.
 */
import type { Logger } from './commands/context.js';

/** Deletions per slice: a few milliseconds of work. */
export const SLICE = 1_000;

export interface MonitorOptions {
  intervalMs: number;
  /** False: the timer only reaps cursors (tests run the monitor by hand with sweepExpired). */
  sweeping: boolean;
  /** Deletes up to `limit` due documents; returns how many. */
  sweep: (limit: number) => number;
  reapCursors: () => void;
  logger: Logger;
}

export function startTtlMonitor({ intervalMs, sweeping, sweep, reapCursors, logger }: MonitorOptions): () => void {
  let stopped = false;
  let running = false;
  const pass = async () => {
    reapCursors();
    if (!sweeping || running) return;
    running = true;
    let removed = 0;
    try {
      for (let n = sweep(SLICE); !stopped; n = sweep(SLICE)) {
        removed += n;
        if (n < SLICE) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      running = false;
    }
    if (removed) logger.info(`TTL monitor removed ${removed} documents`);
  };
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
