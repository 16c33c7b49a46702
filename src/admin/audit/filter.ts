// The audit page's filter form (query string for the list, hidden fields for the export): what was
// typed, checked against the closed sets, turned into a practice-scoped AuditFilter. Dates are
// whole days on the practice's clocks, both ends included. A user is named by email and looked up in the admin's
// practice only; an email of no user there simply matches nothing.
import type { Types } from 'mongoose';
import { normalizeEmail } from '../../accounts/email.js';
import { AUDIT_EVENTS, AUDIT_OUTCOMES, isAuditEvent, type AuditOutcome } from '../../audit/events.js';
import type { AuditFilter } from '../../audit/query.js';
import { normalizeIp } from '../../net/ip.js';
import type { Models } from '../../store/models/index.js';
import type { FieldMistake } from '../../http/form-errors.js';
import { eventLabel, outcomeLabel } from './labels.js';
import { dayStartIn } from './time.js';
import { createMemberships } from '../../accounts/memberships.js';
import { t } from '../../i18n/request.js';

export const FILTER_FIELDS = ['email', 'event', 'outcome', 'ip', 'from', 'to'] as const;
export type FilterValues = Record<(typeof FILTER_FIELDS)[number], string>;

export type ReadFilter =
  | { ok: true; filter: AuditFilter; values: FilterValues; page: number }
  /** `noUser`: the email names no user of the practice: the result is empty, not an error. */
  | { ok: false; values: FilterValues; page: number; errors: FieldMistake[]; noUser?: boolean };

export function filterValues(source: Record<string, unknown>): FilterValues {
  const text = (name: string) => (typeof source[name] === 'string' ? (source[name] as string).trim().slice(0, 254) : '');
  return Object.fromEntries(FILTER_FIELDS.map((name) => [name, text(name)])) as FilterValues;
}

/** `zone`: whose days the typed dates are (src/admin/audit/time.ts localZone). */
export async function readFilter(models: Models, practiceId: Types.ObjectId, source: Record<string, unknown>, zone: string): Promise<ReadFilter> {
  const values = filterValues(source);
  const pageText = typeof source.page === 'string' ? source.page : '1';
  const page = /^\d{1,6}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  const errors: FieldMistake[] = [];
  const filter: AuditFilter = { practiceId: practiceId.toHexString() };

  if (values.event) {
    if (isAuditEvent(values.event)) filter.event = values.event;
    else errors.push({ field: 'event', message: t('admin:audit.choose_event') });
  }
  if (values.outcome) {
    if ((AUDIT_OUTCOMES as readonly string[]).includes(values.outcome)) filter.outcome = values.outcome as AuditOutcome;
    else errors.push({ field: 'outcome', message: t('admin:audit.choose_outcome') });
  }
  if (values.ip) {
    const ip = normalizeIp(values.ip);
    if (ip) filter.ip = ip;
    else errors.push({ field: 'ip', message: t('admin:audit.not_ip', { ip: values.ip }) });
  }
  const from = dayStartIn(values.from, zone);
  const to = dayStartIn(values.to, zone);
  if (from === null) errors.push({ field: 'from', message: t('admin:audit.from_format') });
  else if (from) filter.from = from;
  if (to === null) errors.push({ field: 'to', message: t('admin:audit.to_format') });
  else if (to) filter.to = dayStartIn(nextDay(values.to), zone)!;
  if (from && to && from > to) errors.push({ field: 'from', message: t('admin:audit.from_after_to') });
  if (errors.length) return { ok: false, values, page, errors };

  if (values.email) {
    const user = await models.User.findOne(await createMemberships({ models }).inPractice(practiceId, { email: normalizeEmail(values.email) }) as Record<string, unknown>, { sub: 1 }).lean();
    if (!user) return { ok: false, values, page, errors: [], noUser: true };
    filter.userSub = user.sub;
  }
  return { ok: true, filter, values, page };
}

/** The YYYY-MM-DD after a real YYYY-MM-DD day. */
function nextDay(text: string): string {
  const date = new Date(`${text}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** The options of the event select in the reader's words, in the closed list's order; the values are the codes. */
export function eventOptions(): Array<{ value: string; label: string }> {
  return AUDIT_EVENTS.map((value) => ({ value, label: eventLabel(value) }));
}
export function outcomeOptions(): Array<{ value: string; label: string }> {
  return AUDIT_OUTCOMES.map((value) => ({ value, label: outcomeLabel(value) }));
}

/** The query string of a filter (and a page), for paging links. */
export function filterQuery(values: FilterValues, page?: number): string {
  const params = new URLSearchParams();
  for (const name of FILTER_FIELDS) if (values[name]) params.set(name, values[name]);
  if (page && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}
