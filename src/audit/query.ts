// Reads the audit log for people: always within one practice (an admin never sees another
// practice's entries, whatever the request says), newest first, a page at a time.
import type { QueryFilter } from 'mongoose';
import { BadRequestError } from '../errors.js';
import type { AuditEntry, AuditEntryDocument } from '../store/models/audit-entry.js';
import { fromDocument } from './chain.js';
import { AUDIT_OUTCOMES, isAuditEvent, type AuditEvent, type AuditOutcome } from './events.js';
import type { AuditModels } from './record.js';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export interface AuditFilter {
  /** Required: every read is scoped to one practice. */
  practiceId: string;
  userSub?: string;
  /** One event, or any of several. */
  event?: AuditEvent | readonly AuditEvent[];
  outcome?: AuditOutcome;
  ip?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

export interface AuditQuery extends AuditFilter {
  /** 1-based. */
  page?: number;
  /** 1..MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE. */
  pageSize?: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
  page: number;
  pageSize: number;
}

export const NEWEST_FIRST = { at: -1, seq: -1 } as const;

export async function queryAudit({ models }: { models: AuditModels }, query: AuditQuery): Promise<AuditPage> {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(page) || page < 1) throw new BadRequestError(`page must be a whole number from 1, got ${page}`, 'The page number is not valid.');
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new BadRequestError(`pageSize must be 1..${MAX_PAGE_SIZE}, got ${pageSize}`, `Show from 1 to ${MAX_PAGE_SIZE} entries per page.`);
  }
  const filter = auditFilter(query);
  const [docs, total] = await Promise.all([
    models.AuditEntry.find(filter).sort(NEWEST_FIRST).skip((page - 1) * pageSize).limit(pageSize).lean<AuditEntryDocument[]>(),
    models.AuditEntry.countDocuments(filter),
  ]);
  return { entries: docs.map(fromDocument), total, page, pageSize };
}

/** The store filter for a request; throws BadRequestError for anything outside the closed sets. */
export function auditFilter(filter: AuditFilter): QueryFilter<AuditEntryDocument> {
  if (typeof filter.practiceId !== 'string' || !/^[0-9a-f]{24}$/i.test(filter.practiceId)) {
    throw new BadRequestError('audit queries need a practiceId', 'Choose a practice.');
  }
  const query: QueryFilter<AuditEntryDocument> = { practiceId: filter.practiceId.toLowerCase() };
  if (filter.userSub !== undefined) query.userSub = String(filter.userSub);
  if (filter.event !== undefined) {
    const events: readonly unknown[] = Array.isArray(filter.event) ? filter.event : [filter.event];
    if (!events.every(isAuditEvent)) throw new BadRequestError('unknown audit event in filter', 'Choose an event type from the list.');
    query.event = { $in: [...events] };
  }
  if (filter.outcome !== undefined) {
    if (!AUDIT_OUTCOMES.includes(filter.outcome)) throw new BadRequestError('unknown audit outcome in filter', 'Choose an outcome from the list.');
    query.outcome = filter.outcome;
  }
  if (filter.ip !== undefined) query.ip = String(filter.ip);
  const at: Record<string, Date> = {};
  if (filter.from !== undefined) at.$gte = validDate(filter.from, 'from');
  if (filter.to !== undefined) at.$lt = validDate(filter.to, 'to');
  if (Object.keys(at).length) query.at = at;
  return query;
}

function validDate(value: Date, name: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new BadRequestError(`${name} is not a valid date`, `The "${name}" date is not valid.`);
  return value;
}
