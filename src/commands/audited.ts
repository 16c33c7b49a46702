// The audit shape every command shares: intent first (src/audit/change.ts), then the change's own
// entry with exactly what changed.
import { auditedChange } from '../audit/change.js';
import type { AuditEvent } from '../audit/events.js';
import type { AuditLog } from '../audit/record.js';
import type { Types } from 'mongoose';
import { aboutChange, type Actor } from './actor.js';

export interface Target {
  /** Absent for what belongs to the installation (a client). */
  practiceId?: Types.ObjectId | string;
  userSub?: string;
  clientId?: string;
}

/** Records `change.requested`, applies, records `change.not_applied` when nothing changed or it failed. */
export function change<T>(audit: AuditLog, actor: Actor, target: Target, event: AuditEvent, apply: () => Promise<T>): Promise<T> {
  return auditedChange(audit, event, aboutChange(actor, target), apply);
}

/** The change's own entry; rejects when the write fails, so the command never reports success. */
export async function recordChange(audit: AuditLog, actor: Actor, target: Target, event: AuditEvent, details: Record<string, unknown>, reasons?: string[]): Promise<void> {
  await audit.record({ ...aboutChange(actor, target), event, outcome: 'success', details, ...(reasons ? { reasons } : {}) });
}
