/**
 * The write-ahead journal: one EJSON line (canonical, so every BSON type survives) per state
 * change. Appends are buffered and written + fsynced together (group commit); a command's reply
 * waits for `waitDurable(seq)` so no acknowledgement ever precedes its fsync. After a flush, once
 * the journal has grown past its threshold (which grows with the snapshot, so bulk loading stays
 * linear), the journal is rotated (set aside, a fresh one opened) and a snapshot is written in the
 * background, in slices; when it is durable the rotated journal is deleted.
 */
import { EJSON } from 'bson';
import type { promises as fsp } from 'node:fs';
import type { Logger } from './commands/context.js';
import type { JournalEntry, JournalSink } from './entries.js';

export const COMPACT_BYTES = 8 * 1024 * 1024;
export const COMPACT_ENTRIES = 10_000;

/** How the data directory folds the journal into a snapshot (persistence.ts). */
export interface Compaction {
  /** True when a journal of this size should be folded into a snapshot. */
  due(bytes: number, entries: number): boolean;
  /** Closes `current`, sets the journal file aside and opens a fresh one (the journal is idle). */
  rotate(current: fsp.FileHandle): Promise<fsp.FileHandle>;
  /** Writes the snapshot in slices and deletes the rotated journal; false if `stopped()` ended it early. */
  snapshot(stopped: () => boolean): Promise<boolean>;
}

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
  private compacting: Promise<void> | undefined;
  /** A snapshot failed: the rotated journal must stay, so no further rotation in this process. */
  private compactionBroken = false;
  private closing = false;

  constructor(
    private file: fsp.FileHandle,
    initialBytes: number,
    private readonly logger: Logger,
    private readonly compaction: Compaction,
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
      if (!this.compacting && !this.compactionBroken && !this.closing && this.compaction.due(this.bytes, this.entries)) {
        // Idle and durable here: every entry so far is in the file being set aside, and in memory.
        this.file = await this.compaction.rotate(this.file);
        this.bytes = 0;
        this.entries = 0;
        this.compacting = this.compactInBackground();
      }
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

  private async compactInBackground(): Promise<void> {
    try {
      await this.compaction.snapshot(() => this.closing);
    } catch (err) {
      // Nothing is lost (the rotated journal stays and is folded back in at the next start), but
      // rotating again would overwrite it: stop compacting in this process.
      this.compactionBroken = true;
      this.logger.warn(`snapshot failed (${(err as NodeJS.ErrnoException).code ?? (err as Error).name}); the rotated journal is kept and compaction is off until restart`);
    } finally {
      this.compacting = undefined;
    }
  }

  /** Flushes what is pending, stops a snapshot in progress (the next start finishes the job) and closes the file. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.flushing) await this.flushing;
    await this.compacting;
    await this.file.close();
  }
}
