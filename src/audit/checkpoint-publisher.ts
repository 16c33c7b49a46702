// Publishes checkpoints of the chain's head (checkpoint.ts) outside the database: always to the
// JSON log stream (`auditCheckpoint` field), and to AUDIT_CHECKPOINT_FILE (appended, one JSON line
// each) and AUDIT_CHECKPOINT_URL (POSTed as JSON) when configured. main.ts publishes every
// AUDIT_CHECKPOINT_MINUTES and at shutdown.
//
// Before publishing it checks that the chain still reaches the last checkpoint it published; if not
// (the newest entries were removed or rewritten since), it logs an error and publishes nothing,
// so a truncated chain is never blessed by a fresh checkpoint.
import { appendFile } from 'node:fs/promises';
import type { Logger } from '../observability/logger.js';
import { signCheckpoint, type Checkpoint } from './checkpoint.js';
import type { AuditLog, AuditModels } from './record.js';

export interface CheckpointPublisherDeps {
  models: AuditModels;
  auditLog: AuditLog;
  now: () => number;
  logger: Logger;
  file?: string;
  url?: string;
  /** Default 5 s: a slow webhook must not hold up shutdown. */
  timeoutMs?: number;
}

export interface CheckpointPublisher {
  /** Resolves with the checkpoint published, or null (an empty log, or a chain that no longer reaches the last one). */
  publish(): Promise<Checkpoint | null>;
}

export function createCheckpointPublisher({ models, auditLog, now, logger, file, url, timeoutMs = 5000 }: CheckpointPublisherDeps): CheckpointPublisher {
  let last: Checkpoint | null = null;
  return {
    async publish() {
      const head = await models.AuditEntry.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean();
      if (!head) return null;
      if (last) {
        const still = await models.AuditEntry.findOne({ seq: last.seq }, { hash: 1 }).lean();
        if (still?.hash !== last.hash || head.seq < last.seq) {
          logger.error('audit chain no longer reaches the last checkpoint: entries were removed or rewritten; run "audit verify"', { auditCheckpoint: last });
          return null;
        }
      }
      const checkpoint = signCheckpoint(head, new Date(now()), auditLog.keys);
      last = checkpoint;
      logger.info('audit checkpoint', { auditCheckpoint: checkpoint });
      await Promise.all([
        file ? appendFile(file, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 }).catch((err: Error) => logger.error('audit checkpoint file write failed', { reason: err.message })) : undefined,
        url ? post(url, checkpoint, timeoutMs).catch((err: Error) => logger.error('audit checkpoint webhook failed', { reason: err.message })) : undefined,
      ]);
      return checkpoint;
    },
  };
}

async function post(url: string, checkpoint: Checkpoint, timeoutMs: number): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(checkpoint),
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}
