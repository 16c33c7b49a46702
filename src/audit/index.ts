// The audit log: a closed set of events, recorded hash-chained; read, exported and verified.
export { AUDIT_EVENTS, AUDIT_OUTCOMES, isAuditEvent, type AuditEvent, type AuditOutcome } from './events.js';
export { AuditWriteError, createAuditLog, type AuditInput, type AuditLog, type AuditLogOptions, type AuditModels } from './record.js';
export { queryAudit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type AuditFilter, type AuditPage, type AuditQuery } from './query.js';
export { CSV_COLUMNS, exportAuditCsv, type ExportRequester } from './export.js';
export { verifyChain, type BrokenReason, type ChainReport } from './verify.js';
export type { AuditActor, AuditEntry } from '../store/models/audit-entry.js';
