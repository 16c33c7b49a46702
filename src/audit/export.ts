// CSV export of one practice's audit entries for a filter, newest first (as the admin view lists
// them). The export is itself audited, first: if `audit.exported` cannot be written, no data leaves.
// Rows stream from a store cursor, so an export of years of entries needs no more memory than one.
import type { AuditEntry, AuditEntryDocument } from '../store/models/audit-entry.js';
import { fromDocument } from './chain.js';
import { csvRow } from './csv.js';
import { auditFilter, NEWEST_FIRST, type AuditFilter } from './query.js';
import type { AuditInput, AuditLog, AuditModels } from './record.js';

export const CSV_COLUMNS = ['time', 'practice', 'user', 'actor', 'event', 'outcome', 'ip', 'user agent', 'client', 'reasons', 'details'] as const;

/** Who asks for the export: recorded in `audit.exported` with the filter. */
export type ExportRequester = Pick<AuditInput, 'userSub' | 'actor' | 'ip' | 'userAgent'>;

export interface ExportDeps {
  models: AuditModels;
  auditLog: AuditLog;
}

/**
 * Records `audit.exported`, then returns the CSV as chunks: the header row, then one row per entry.
 * Rejects (AuditWriteError, or BadRequestError for a bad filter) before any row is produced.
 */
export async function exportAuditCsv({ models, auditLog }: ExportDeps, filter: AuditFilter, by: ExportRequester): Promise<AsyncIterable<string>> {
  const query = auditFilter(filter);
  await auditLog.record({
    event: 'audit.exported',
    outcome: 'success',
    practiceId: filter.practiceId,
    ...by,
    details: { format: 'csv', filter: describeFilter(filter) },
  });
  return (async function* rows() {
    yield csvRow(CSV_COLUMNS);
    const cursor = models.AuditEntry.find(query).sort(NEWEST_FIRST).lean<AuditEntryDocument[]>().cursor({ batchSize: 500 });
    for await (const doc of cursor) yield csvRow(entryCells(fromDocument(doc as AuditEntryDocument)));
  })();
}

export function entryCells(entry: AuditEntry): string[] {
  return [
    entry.at.toISOString(),
    entry.practiceId ?? '',
    entry.userSub ?? '',
    entry.actor ? `${entry.actor.sub}${entry.actor.role ? ` (${entry.actor.role})` : ''}` : '',
    entry.event,
    entry.outcome,
    entry.ip ?? '',
    entry.userAgent ?? '',
    entry.clientId ?? '',
    entry.reasons.join(' '),
    Object.keys(entry.details).length ? JSON.stringify(entry.details) : '',
  ];
}

function describeFilter(filter: AuditFilter): Record<string, unknown> {
  const { practiceId: _scope, ...rest } = filter;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}
