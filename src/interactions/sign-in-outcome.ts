// What the login and mfa steps share: the lock message, and finishing a sign-in (audited first, as
// a security decision: if the audit write fails the sign-in does not go through).
import type { Context } from 'koa';
import type { AuditInput } from '../audit/record.js';
import type { UserDoc } from '../accounts/service.js';
import type { RiskDecision } from '../mfa/risk/index.js';
import type { LockReason } from '../mfa/smart-lockout.js';
import { LOGIN_RISK_DECISION } from '../oidc/mfa-prompt.js';
import { PRACTICE_CHOSEN } from '../oidc/practice-choice.js';
import { currentLanguage, t } from '../i18n/request.js';
import { heldRecord } from './pending-sign-in.js';
import { finish, requestInfo, type InteractionDeps, type InteractionDetails } from './context.js';

/**
 * Tells a user who proved their password when to retry; it says nothing to anyone else. The time
 * is the practice's (`zone`, as its clocks read: "3:54 PM CST"), UTC when it has none.
 */
export function lockedMessage(retryAt: number | undefined, now: number, reason?: LockReason, zone?: string | null): string {
  if (reason === 'cap') return t('signin:locked.cap');
  if (reason === 'unfamiliar_cap' || retryAt === undefined) return t('signin:locked.unfamiliar');
  const minutes = Math.max(1, Math.ceil((retryAt - now) / 60_000));
  const at = clockTime(new Date(retryAt), zone);
  return t('signin:locked.until', { at, wait: t('common:minutes', { count: minutes }) });
}

function clockTime(at: Date, zone: string | null | undefined): string {
  if (!zone) return `${at.toISOString().slice(11, 16)} UTC`;
  return new Intl.DateTimeFormat(currentLanguage() === 'es' ? 'es-US' : 'en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(at).replace(/\u202f/g, ' ');
}

/** The time zone of a user's practice (null: none set), for the times a locked-out user reads. */
export async function practiceZone(deps: Pick<InteractionDeps, 'models'>, user: Pick<UserDoc, 'practiceId'>): Promise<string | null> {
  return (await deps.models.Practice.findById(user.practiceId, { timeZone: 1 }).lean())?.timeZone ?? null;
}

export interface CompletedSignIn {
  acr: string;
  amr: string[];
  /** Risk reasons, when the code was waived. */
  reasons?: readonly string[];
  /** The login step's risk decision, handed to the mfa prompt of the resume (LOGIN_RISK_DECISION). */
  decision?: RiskDecision;
  /**
   * No practice entered yet: the `select_account` prompt asks next (a passwordless sign-in of a
   * person in several practices). The user's practice then only names where the entries go.
   */
  practiceOpen?: boolean;
}

type SignedInUser = UserDoc | { sub: string; practiceId: UserDoc['practiceId'] };

export async function completeSignIn(ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: SignedInUser, done: CompletedSignIn): Promise<void> {
  await deps.audit.record(completedEntry(ctx, details, user, done));
  await finishSignIn(ctx, details, deps, user, done);
}

/** The `signin.completed` entry, for a step that records it together with the rest of its decision. */
export function completedEntry(ctx: Context, details: InteractionDetails, user: SignedInUser, done: CompletedSignIn): AuditInput {
  return {
    ...requestInfo(ctx, details),
    event: 'signin.completed',
    outcome: 'success',
    practiceId: user.practiceId.toHexString(),
    userSub: user.sub,
    ...(done.reasons ? { reasons: done.reasons } : {}),
    details: { acr: done.acr, amr: done.amr },
  };
}

/** Ends the `login` prompt signed in; only once the sign-in's entries are recorded. */
export async function finishSignIn(ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: SignedInUser, done: CompletedSignIn): Promise<void> {
  const ts = Math.floor(deps.now() / 1000);
  await finish(ctx, details, {
    // A browser-session cookie: a shared clinic workstation forgets the sign-in when closed.
    login: { accountId: user.sub, acr: done.acr, amr: done.amr, ts, remember: false },
    // The practice this sign-in entered: the select_account prompt and the grant read it.
    ...(done.practiceOpen ? {} : { [PRACTICE_CHOSEN]: { practiceId: user.practiceId.toHexString() } }),
    ...(done.decision ? { [LOGIN_RISK_DECISION]: done.decision } : {}),
    ...heldRecord(details),
  });
}
