// The one way a password changes after an account exists: by reset, by the user (knowing the
// current one) or by an invited user setting their first. Order, so a failure never tells anyone
// it worked and never leaves an old-password session behind a new password:
//
//   policy check → argon2id hash stored → every other session, grant and refresh
//   token ended (modules told by back-channel logout) → audit entry → "password changed" email
//
// A store failure before the hash is stored changes nothing. After it, the error propagates (the
// person sees "please try again"), never a success. The audit entry comes after the change (audit
// rule for stored state) and its failure fails the request. The email comes last and cannot fail
// the change: it reports what already happened.
import { currentLanguage, t, withLanguage } from '../i18n/request.js';
import { recipientLanguage } from '../i18n/languages.js';
import type { Types } from 'mongoose';
import type { AuditEvent } from '../audit/events.js';
import type { AccountService } from './service.js';
import type { AuditLog } from '../audit/record.js';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import type Provider from 'oidc-provider';
import { sendSecurityNotice } from '../notifications/security-notice.js';
import { endUserSessions } from '../sessions/end-sessions.js';

import type { Logger } from '../observability/logger.js';
/** What this module needs from the composition root (src/app/). */
export interface AccountsPasswordChangeDeps {
  accounts: AccountService;
  audit: AuditLog;
  mfa: Mfa;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  /** The current provider (rebuilt when signing keys rotate); null: no module is told (the records still go). */
  provider: () => Provider | null;
  logger: Logger;
}

export type PasswordChangeReason = 'reset' | 'change' | 'invitation' | 'operator';

export interface PasswordChangeInput {
  user: { _id: Types.ObjectId; sub: string; email: string; name: string; practiceId: Types.ObjectId; language?: string | null };
  newPassword: string;
  reason: PasswordChangeReason;
  /** The provider session making the change (a signed-in user's settings page) keeps its sign-in. */
  keepSessionUid?: string;
  ip?: string;
  userAgent?: string;
  /** Who made the change when it is not the user. */
  actor?: { sub: string; role?: string };
}

export interface PasswordChangeResult {
  sessionsEnded: number;
  grantsRevoked: number;
  modulesNotified: number;
  /** The "password changed" email was accepted by the mail server. */
  notified: boolean;
}

const EVENTS: Record<PasswordChangeReason, AuditEvent> = {
  reset: 'password.reset.completed',
  change: 'password.changed',
  invitation: 'password.changed',
  operator: 'password.changed',
};

// The account page, a reset and an invitation are the user's own request: the notice is written in
// that request's language. An operator's change is not: it goes out in the user's own language
// (locales/<language>/notices.json, password.*).
const SUMMARIES: Record<PasswordChangeReason, string> = {
  reset: 'notices:password.summary_reset',
  change: 'notices:password.summary_change',
  invitation: 'notices:password.summary_invitation',
  operator: 'notices:password.summary_operator',
};


/** Throws AppError `weak_password` (400, names every unmet rule) before anything is stored. */
export async function changePassword(services: AccountsPasswordChangeDeps, input: PasswordChangeInput): Promise<PasswordChangeResult> {
  const { user, reason } = input;
  // Checks the practice policy against the user's name and email, hashes with argon2id, stores.
  await services.accounts.setPassword(user.sub, input.newPassword);

  const about = {
    practiceId: user.practiceId.toHexString(),
    userSub: user.sub,
    ...(input.actor ? { actor: input.actor } : {}),
    ...(input.ip ? { ip: input.ip } : {}),
    ...(input.userAgent ? { userAgent: input.userAgent } : {}),
  };
  // The lockout is left as it is: only a completed sign-in with every factor (or an admin's unlock)
  // clears failures. Clearing them here let 9 wrong codes → change password → 9 more, forever.

  const failedModules: string[] = [];
  const ended = await endUserSessions(services.provider(), services.models, user.sub, {
    ...(input.keepSessionUid ? { keepSessionUid: input.keepSessionUid } : {}),
    onLogoutFailure: (clientId) => failedModules.push(clientId),
  });

  await services.audit.record({
    ...about,
    event: EVENTS[reason],
    outcome: 'success',
    ...(reason === 'invitation' || reason === 'operator' ? { reasons: [reason] } : {}),
    details: {
      sessionsEnded: ended.sessions,
      grantsRevoked: ended.grants,
      modulesNotified: ended.modulesNotified,
      ...(failedModules.length > 0 ? { modulesUnreachable: failedModules } : {}),
      keptCurrentSession: Boolean(input.keepSessionUid),
    },
  });

  const practice = await services.accounts.findPractice(user.practiceId).catch(() => null);
  const language = reason === 'operator' ? recipientLanguage(user, practice) : currentLanguage();
  const notified = await sendSecurityNotice(services, user, withLanguage(language, () => ({
    subject: reason === 'invitation' ? t('notices:password.subject_set') : t('notices:password.subject_changed'),
    summary: t(SUMMARIES[reason]),
    details: reason === 'invitation' ? [] : [input.keepSessionUid ? t('notices:password.signed_out_elsewhere') : t('notices:password.signed_out_everywhere')],
    language,
    ...(input.ip ? { ip: input.ip } : {}),
    at: new Date(services.now()),
    timeZone: practice?.timeZone ?? null,
    ...(practice?.name ? { practiceName: practice.name } : {}),
  })));
  return { sessionsEnded: ended.sessions, grantsRevoked: ended.grants, modulesNotified: ended.modulesNotified, notified };
}
