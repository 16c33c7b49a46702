/**
 * The write-ahead journal: one EJSON line (canonical, so every BSON type survives) per state
 * change. Appends are buffered and written + fsynced together (group commit); a command's reply
 * waits for `waitDurable(seq)` so no acknowledgement ever precedes its fsync. After a flush,
 * `maybeCompact` may fold everything into a snapshot and empty the journal.
 */
import { EJSON } from 'bson';
import { promises as fsp, ftruncateSync, fsyncSync } from 'node:fs';
import type { Logger } from './commands/context.js';
import type { JournalEntry, JournalSink } from './entries.js';

export const COMPACT_BYTES = 8 * 1024 * 1024;
export const COMPACT_ENTRIES = 10_000;

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class Journal implements JournalSink {
  private pending: string[] = [];
  private appended = 0;
  private durable = 0;
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | undefined;
  private failure: Error | undefined;
  /** Size of the journal file since the last compaction. */
  private bytes: number;
  private entries = 0;

  constructor(
    private readonly file: fsp.FileHandle,
    initialBytes: number,
    private readonly logger: Logger,
    /** Writes a durable snapshot of the state; called only with the journal idle and fully durable. */
    private readonly compact: () => void,
  ) {
    this.bytes = initialBytes;
  }

  /** Sequence number of the last appended entry. */
  get seq(): number {
    return this.appended;
  }

  append(entry: JournalEntry): void {
    this.pending.push(`${EJSON.stringify(entry, { relaxed: false })}\n`);
    this.appended++;
    this.flushing ??= this.flushLoop();
  }

  /** Resolves once every entry up to `seq` is on disk; rejects if the journal cannot be written. */
  waitDurable(seq: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (seq <= this.durable) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  private async flushLoop(): Promise<void> {
    // Let every write of this tick join the batch before paying for one fsync.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.pending.length) {
        const lines = this.pending;
        const upTo = this.appended;
        this.pending = [];
        const data = Buffer.from(lines.join(''), 'utf8');
        await this.file.write(data);
        await this.file.sync();
        this.bytes += data.length;
        this.entries += lines.length;
        this.durable = upTo;
        this.settle();
      }
      if (this.bytes > COMPACT_BYTES || this.entries > COMPACT_ENTRIES) this.compactNow();
    } catch (err) {
      this.failure = err as Error;
      this.logger.warn(`journal write failed: ${(err as NodeJS.ErrnoException).code ?? (err as Error).name}; writes are refused from now on`);
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
    } finally {
      this.flushing = undefined;
      if (this.pending.length && !this.failure) this.flushing = this.flushLoop();
    }
  }

  private settle(): void {
    const ready = this.waiters.filter((w) => w.seq <= this.durable);
    this.waiters = this.waiters.filter((w) => w.seq > this.durable);
    for (const waiter of ready) waiter.resolve();
  }

  /** Synchronous, so no write can slip between the snapshot and emptying the journal. */
  private compactNow(): void {
    try {
      this.compact();
    } catch (err) {
      // The journal is still complete: keep appending to it and retry after the next flush.
      this.logger.warn(`snapshot failed (${(err as NodeJS.ErrnoException).code ?? (err as Error).name}); journal kept`);
      return;
    }
    ftruncateSync(this.file.fd, 0);
    fsyncSync(this.file.fd);
    this.bytes = 0;
    this.entries = 0;
  }

  /** Flushes what is pending and closes the file. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.file.close();
  }
}
