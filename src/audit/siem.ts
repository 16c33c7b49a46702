// Every audit entry is also one JSON log line, for practices that stream their audit trail to a
// SIEM. The `audit` object is a stable schema (AUDIT_LOG_SCHEMA; a change of meaning is a new
// version): the CSV export's columns under the same names in camelCase, plus where the entry sits
// in the chain (seq, hash, kid), so a shipper can spot a gap. docs/audit.md has an example.
import type { AuditEntry } from '../store/models/audit-entry.js';

export const AUDIT_LOG_SCHEMA = 'ehr-idp.audit/1';

export interface AuditLogLine {
  schema: typeof AUDIT_LOG_SCHEMA;
  time: string;
  practice: string | null;
  user: string | null;
  actor: string | null;
  actorRole: string | null;
  event: string;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  client: string | null;
  reasons: string[];
  details: Record<string, unknown>;
  seq: number;
  hash: string;
  kid: string | null;
}

export function auditLogLine(entry: AuditEntry): AuditLogLine {
  return {
    schema: AUDIT_LOG_SCHEMA,
    time: entry.at.toISOString(),
    practice: entry.practiceId,
    user: entry.userSub,
    actor: entry.actor?.sub ?? null,
    actorRole: entry.actor?.role ?? null,
    event: entry.event,
    outcome: entry.outcome,
    ip: entry.ip,
    userAgent: entry.userAgent,
    client: entry.clientId,
    reasons: entry.reasons,
    details: entry.details,
    seq: entry.seq,
    hash: entry.hash,
    kid: entry.kid ?? null,
  };
}
