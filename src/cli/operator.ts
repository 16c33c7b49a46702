// What operator commands share: who the operator is in the audit log, the audit log itself, and
// looking up a user or practice with a message the operator can act on.
import { activePracticesOf } from '../accounts/practice-joining.js';
import { withIdentityWideCopies } from '../audit/identity-wide.js';
import { resolveAuditKeys } from '../audit/keys.js';
import { auditedChange } from '../audit/change.js';
import type { AuditEvent } from '../audit/events.js';
import { createAuditLog, type AuditInput } from '../audit/record.js';
import { appError } from '../errors.js';
import { auditEntryModel } from '../store/models/audit-entry.js';
import type { Values } from './command.js';
import type { CliContext } from './context.js';

/** The `actor` of every change made from the command line. */
export const CLI_ACTOR = { sub: 'cli', role: 'operator' };

/** The option every command about one user takes. */
export const EMAIL = { type: 'string', value: 'EMAIL', required: true, description: "the user's email address" } as const;

export const cliAudit = (context: CliContext) => withIdentityWideCopies(createAuditLog({ models: { AuditEntry: auditEntryModel(context.models.User.db) }, keys: resolveAuditKeys(context.config), now: Date.now }), activePracticesOf(context.models));

/**
 * An operator's change, intent-first (src/audit/change.ts): `change.requested` is recorded before
 * `apply` runs; if that write fails the command fails and nothing changed. The command then records
 * the change's own entry, as before.
 */
export function cliChange<T>(context: CliContext, event: AuditEvent, about: { practiceId?: AuditInput['practiceId']; userSub?: string }, apply: () => Promise<T>): Promise<T> {
  return auditedChange(cliAudit(context), event, { ...about, actor: CLI_ACTOR }, apply);
}

export async function userByEmail(context: CliContext, values: Values) {
  const user = await context.accounts.findUserByEmail(String(values.email));
  if (!user) throw appError('user_email_not_found', { detail: 'no user with this email', message: `No user with email ${String(values.email)}.` });
  return user;
}

export async function practiceById(context: CliContext, id: unknown) {
  const practice = /^[0-9a-f]{24}$/i.test(String(id)) ? await context.models.Practice.findById(String(id)) : null;
  if (!practice) throw appError('practice_id_not_found', { detail: 'no such practice', message: `No practice with id ${String(id)}.` });
  return practice;
}
