// Audit entries as the admin page shows them, for a practice manager: the time on the practice's
// clocks (and in UTC, what is stored and exported), people by email (looked up in the admin's
// practice only) and who acted when someone else did, the event and outcome in words, the address
// readably and the browser and system parsed from the user agent, the details as lines.
import type { Types } from 'mongoose';
import { readableAddress } from '../../mfa/channels/wording.js';
import type { AuditEntry } from '../../store/models/audit-entry.js';
import type { Models } from '../../store/models/index.js';
import { detailLines, type DetailLine } from './details.js';
import { eventLabel, outcomeLabel, reasonLabel } from './labels.js';
import { browserAndSystem } from './user-agent.js';
import { humanText, utcText } from './time.js';
import { createMemberships } from '../../accounts/memberships.js';
import { t } from '../../i18n/request.js';

export interface AuditRow {
  /** On the practice's clocks, as a person reads them. */
  local: string;
  utc: string;
  /** ISO 8601, for the `datetime` attribute. */
  iso: string;
  user: string;
  actor: string;
  /** The event's code (data attribute, CSV); `eventLabel` is what the page says. */
  event: string;
  eventLabel: string;
  outcome: string;
  outcomeLabel: string;
  ip: string;
  browser: string;
  client: string;
  reasons: string;
  details: DetailLine[];
}

export async function auditRows(models: Models, practiceId: Types.ObjectId, entries: AuditEntry[], zone: string): Promise<AuditRow[]> {
  const subs = [...new Set(entries.flatMap((entry) => [entry.userSub, entry.actor?.sub]).filter((sub): sub is string => Boolean(sub)))];
  const emails = new Map((await models.User.find(await createMemberships({ models }).inPractice(practiceId, { sub: { $in: subs } }) as Record<string, unknown>, { sub: 1, email: 1 }).lean())
    .map((user) => [user.sub, user.email]));
  const person = (sub: string | null | undefined) => (!sub ? '' : emails.get(sub) ?? (sub === 'cli' ? t('audit:people.operator') : t('audit:people.former_user')));
  return entries.map((entry) => ({
    local: humanText(entry.at, zone),
    utc: utcText(entry.at),
    iso: entry.at.toISOString(),
    user: person(entry.userSub),
    actor: entry.actor && entry.actor.sub !== entry.userSub ? `${person(entry.actor.sub)}${entry.actor.role ? ` (${roleWord(entry.actor.role)})` : ''}` : '',
    event: entry.event,
    eventLabel: eventLabel(entry.event),
    outcome: entry.outcome,
    outcomeLabel: outcomeLabel(entry.outcome),
    ip: entry.ip ? readableAddress(entry.ip) : '',
    browser: browserAndSystem(entry.userAgent),
    client: entry.clientId ?? '',
    reasons: entry.reasons.map(reasonLabel).join(', '),
    details: detailLines(entry.details),
  }));
}

/** A role as the reader says it (members:roles); any other actor role (an operator's) as it is. */
function roleWord(role: string): string {
  return ['admin', 'clinician', 'staff'].includes(role) ? t(`members:roles.${role}`) : role;
}
