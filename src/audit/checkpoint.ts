// Checkpoints: the chain's head (seq, hash) at a time, MACed under the audit key, published outside
// the database (the JSON log stream, and optionally a file and an HTTPS webhook). Someone who can
// write the database can delete the newest entries and leave a shorter chain that links perfectly;
// `audit verify --checkpoint` then shows the chain no longer reaches a checkpoint published earlier.
// A checkpoint cannot be forged without the key, and is useless to forge anyway: it only adds checks.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import type { AuditKeys } from './keys.js';

export const CHECKPOINT_TYPE = 'audit-checkpoint';

export interface Checkpoint {
  type: typeof CHECKPOINT_TYPE;
  /** The newest entry when the checkpoint was taken. */
  seq: number;
  hash: string;
  /** ISO time the checkpoint was taken. */
  at: string;
  /** The audit key the MAC is under. */
  kid: string;
  mac: string;
}

type Signed = Omit<Checkpoint, 'mac'>;

function macOf(fields: Signed, secret: Buffer): string {
  const { type, seq, hash, at, kid } = fields;
  return createHmac('sha256', secret).update(canonicalJson({ type, seq, hash, at, kid }), 'utf8').digest('hex');
}

export function signCheckpoint(head: { seq: number; hash: string }, at: Date, keys: AuditKeys): Checkpoint {
  const fields: Signed = { type: CHECKPOINT_TYPE, seq: head.seq, hash: head.hash, at: at.toISOString(), kid: keys.current.id };
  return { ...fields, mac: macOf(fields, keys.current.secret) };
}

/** The checkpoint when its MAC holds under one of `keys`, else why not. */
export function checkCheckpoint(value: unknown, keys: AuditKeys): { ok: true; checkpoint: Checkpoint } | { ok: false; problem: string } {
  const cp = value as Partial<Checkpoint> | null;
  if (!cp || typeof cp !== 'object' || cp.type !== CHECKPOINT_TYPE || !Number.isSafeInteger(cp.seq) || (cp.seq ?? 0) < 1
    || typeof cp.hash !== 'string' || typeof cp.at !== 'string' || typeof cp.kid !== 'string' || typeof cp.mac !== 'string' || !/^[0-9a-f]{64}$/.test(cp.mac)) {
    return { ok: false, problem: 'not an audit checkpoint' };
  }
  const key = keys.byId(cp.kid);
  if (!key) return { ok: false, problem: `its key ${cp.kid} is not configured (AUDIT_KEY, AUDIT_PREVIOUS_KEYS)` };
  const checkpoint = cp as Checkpoint;
  const expected = Buffer.from(macOf(checkpoint, key.secret), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(checkpoint.mac, 'hex'))) return { ok: false, problem: 'its MAC does not match (the checkpoint was altered)' };
  return { ok: true, checkpoint: { type: CHECKPOINT_TYPE, seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at, kid: checkpoint.kid, mac: checkpoint.mac } };
}

/**
 * Every checkpoint in a text: one JSON checkpoint, or lines of JSON where a line is a checkpoint
 * or a log line carrying one under `auditCheckpoint` (as the provider logs them). Other lines are
 * skipped, so a whole log file can be given.
 */
export function checkpointsIn(text: string): unknown[] {
  const found: unknown[] = [];
  const trimmed = text.trim();
  const candidates = trimmed.startsWith('{') && !trimmed.includes('\n') ? [trimmed] : trimmed.split('\n');
  for (const line of candidates) {
    if (!line.includes(CHECKPOINT_TYPE)) continue;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      found.push(parsed.type === CHECKPOINT_TYPE ? parsed : parsed.auditCheckpoint);
    } catch {
      found.push(null);
    }
  }
  return found;
}
