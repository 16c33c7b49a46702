// Audit entries as the admin page shows them: times in UTC and in the given zone, people by
// email (looked up in the admin's practice only), the actor when someone else caused the event.
import type { Types } from 'mongoose';
import type { AuditEntry } from '../../store/models/audit-entry.js';
import type { Models } from '../../store/models/index.js';
import { utcText, zonedText } from './time.js';

export interface AuditRow {
  utc: string;
  local: string;
  user: string;
  actor: string;
  event: string;
  outcome: string;
  ip: string;
  userAgent: string;
  client: string;
  reasons: string;
  details: string;
}

export async function auditRows(models: Models, practiceId: Types.ObjectId, entries: AuditEntry[], zone: string): Promise<AuditRow[]> {
  const subs = [...new Set(entries.flatMap((entry) => [entry.userSub, entry.actor?.sub]).filter((sub): sub is string => Boolean(sub)))];
  const emails = new Map((await models.User.find({ practiceId, sub: { $in: subs } }, { sub: 1, email: 1 }).lean())
    .map((user) => [user.sub, user.email]));
  const person = (sub: string | null | undefined) => (!sub ? '' : emails.get(sub) ?? (sub === 'cli' ? 'operator (command line)' : `unknown (${sub})`));
  return entries.map((entry) => ({
    utc: utcText(entry.at),
    local: zonedText(entry.at, zone),
    user: person(entry.userSub),
    actor: entry.actor ? `${person(entry.actor.sub)}${entry.actor.role ? ` (${entry.actor.role})` : ''}` : '',
    event: entry.event,
    outcome: entry.outcome,
    ip: entry.ip ?? '',
    userAgent: entry.userAgent ?? '',
    client: entry.clientId ?? '',
    reasons: entry.reasons.join(', '),
    details: Object.keys(entry.details).length ? JSON.stringify(entry.details) : '',
  }));
}
