// One audit log entry: append-only and hash-chained (src/audit/). `seq` is one sequence for the
// whole installation, so a deletion anywhere leaves a gap; `hash` covers every other field and
// `prevHash`: an HMAC under the audit key named by `kid` (entries written before the chain was
// keyed have no `kid` and a plain SHA-256; docs/audit.md). No TTL: entries are kept until an operator archives them (retention is a policy
// decision, not a default). Absent values are stored as null so that what was hashed is exactly
// what the store gives back.
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { AUDIT_EVENTS, AUDIT_OUTCOMES, type AuditEvent, type AuditOutcome } from '../../audit/events.js';

export interface AuditActor {
  sub: string;
  role: string | null;
}

export interface AuditEntry {
  seq: number;
  /** UTC, from the server clock. */
  at: Date;
  event: AuditEvent;
  outcome: AuditOutcome;
  /** Hex id of the practice; null for events of no practice (e.g. an unknown email). */
  practiceId: string | null;
  userSub: string | null;
  actor: AuditActor | null;
  ip: string | null;
  userAgent: string | null;
  clientId: string | null;
  reasons: string[];
  /** Redacted plain JSON. */
  details: Record<string, unknown>;
  prevHash: string;
  /** The audit key's id; absent on entries written before the chain was keyed. */
  kid?: string;
  hash: string;
}

export type AuditEntryDocument = AuditEntry & { _id: Types.ObjectId };

const nullableString = { type: String, default: null };

const schema = new Schema<AuditEntryDocument>({
  seq: { type: Number, required: true, min: 1 },
  at: { type: Date, required: true },
  event: { type: String, enum: AUDIT_EVENTS, required: true },
  outcome: { type: String, enum: AUDIT_OUTCOMES, required: true },
  practiceId: nullableString,
  userSub: nullableString,
  actor: { type: Schema.Types.Mixed, default: null },
  ip: nullableString,
  userAgent: nullableString,
  clientId: nullableString,
  reasons: { type: [String], default: [] },
  details: { type: Schema.Types.Mixed, default: {} },
  prevHash: { type: String, required: true },
  kid: { type: String },
  hash: { type: String, required: true },
}, {
  collection: 'audit_entries',
  versionKey: false,
  // Keep empty objects in details: they were hashed.
  minimize: false,
  // An audit write fails at once when the store is away, rather than queueing behind a reconnect.
  bufferCommands: false,
});

schema.index({ seq: 1 }, { unique: true });
schema.index({ practiceId: 1, at: -1 });
// A practice's newest entries by seq: the admin's bounded chain check (src/audit/practice-view.ts).
schema.index({ practiceId: 1, seq: -1 });
schema.index({ practiceId: 1, userSub: 1, at: -1 });
schema.index({ practiceId: 1, event: 1, at: -1 });

export type AuditEntryModel = Model<AuditEntryDocument>;

export function auditEntryModel(connection: Connection): AuditEntryModel {
  return (connection.models.AuditEntry as AuditEntryModel | undefined) ?? connection.model<AuditEntryDocument>('AuditEntry', schema);
}
