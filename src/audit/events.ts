// The closed set of audit event names. Adding one is a one-line change here; anything else is
// refused by `record` (and by the type checker).
//
// Naming: `<subject>.<what happened>` in the past tense, snake_case words. Conventions:
// - `userSub` is the person the event is about; `actor` is who caused it when that is someone else
//   (an admin, or `{ sub: 'cli' }` for an operator command). So `account.unlocked` is one event
//   whether the lock expired, an admin or the CLI lifted it; `actor` tells which.
// - `admin.*` events are configuration changes made by an admin or operator; their `details` hold
//   `{ before, after }` of exactly the settings that changed.
// - `reasons` holds closed-set names (the risk engine's RISK_REASONS for `mfa.*`, or the failing
//   check, e.g. `wrong_password`), never free text.

export const AUDIT_EVENTS = [
  // Sign-in. `failed` reasons: unknown_user, wrong_password, inactive_user, no_password, account_locked.
  'signin.password.succeeded',
  'signin.password.failed',
  /** A passwordless sign-in with a passkey: details { name, userVerified }, reasons: the risk engine's (new_device, new_ip...). */
  'signin.passkey.succeeded',
  /** Refused; reasons: unknown_credential, wrong_user_handle, inactive_user, passwordless_not_allowed, account_locked, user_not_verified, clone_suspected, not_verified. */
  'signin.passkey.failed',
  /** The whole sign-in finished and went back to the app; details: { acr, amr }. */
  'signin.completed',

  // Second factor. `required`/`waived` carry the risk engine's reasons (e.g. new_ip / trusted_ip_bypass).
  'mfa.required',
  'mfa.waived',
  /** details: { channel: 'sms' | 'email', destination (masked), resend? } */
  'mfa.code.sent',
  'mfa.code.delivery_failed',
  'mfa.code.verified',
  'mfa.code.failed',
  /** The code can no longer be used: too many wrong tries, or expired; reasons say which. */
  'mfa.code.burned',
  /** An authenticator-app code or recovery code accepted at sign-in; details: { factor }. */
  'mfa.factor.verified',
  /** One refused; reasons: wrong_code, replayed_code; details: { factor }. */
  'mfa.factor.failed',
  /** A recovery code signed the user in (they are emailed); details: { remaining }. */
  'mfa.recovery_code.used',
  /** A second factor added by its user (authenticator app confirmed, recovery codes made); details: { factor }. */
  'factor.enrolled',
  /** Removed by its user, or by an admin (`actor`); details: { factor }. */
  'factor.removed',
  /** An authenticator-app enrolment's first code was wrong or the enrolment lapsed. */
  'factor.enrolment_failed',

  // Account state (automatic or by an admin: see `actor`).
  'account.locked',
  'account.unlocked',

  // Passwords.
  'password.reset.requested',
  'password.reset.failed',
  'password.reset.completed',
  'password.changed',

  // Sessions.
  'session.logout',
  /** Every session and remembered grant of the user ended (by the user, an admin or the CLI). */
  'session.ended_everywhere',

  // Tokens: only what an investigator needs; routine issuance is not recorded.
  'token.revoked',
  /** A rotated refresh token was presented again: the grant is revoked as likely stolen. */
  'token.refresh_reuse_detected',
  'token.client_auth_failed',

  // Remembered devices.
  'device.remembered',
  'device.forgotten',

  // The user's own settings; details: { before, after }.
  'user.settings_changed',
  'phone.verified',

  // Admin and operator changes; details: { before, after }.
  'admin.user.created',
  'admin.user.invitation_sent',
  /** An invitation to join the practice withdrawn by an admin or the operator (the invited membership removed). */
  'admin.user.invitation_cancelled',
  /** The person accepted an invitation to join a practice (their membership is active). */
  'membership.joined',
  /** The person declined an invitation to join a practice. */
  'membership.declined',
  /** The person left a practice (/account): their membership there is removed. */
  'membership.left',
  'admin.user.updated',
  'admin.user.deactivated',
  'admin.user.reactivated',
  /**
   * An admin's change of a user's email, phone or (another admin's) role waiting for the new
   * address's proof and/or a second admin (src/accounts/account-change/); details: { change, kind,
   * before, after } (phones masked). When it applies: `admin.user.updated`.
   */
  'admin.user.change_requested',
  /** The new address proved itself (the emailed link, the texted code). */
  'admin.user.change_proven',
  'admin.user.change_approved',
  'admin.user.change_refused',
  /** Withdrawn by an admin, replaced by a newer request, or expired; reasons say which. */
  'admin.user.change_cancelled',
  /** The user reported it from the notice sent to their current address (it is cancelled). */
  'admin.user.change_reported',
  /** Two-step sign-in turned on/off for a user, or its channel changed. */
  'admin.user.mfa_changed',
  /** MFA policy, trusted-IP bypass, idle time-out or password policy of a practice. */
  'admin.practice.security_changed',
  'admin.practice.created',
  /** The practice's logo set or removed; details: { before, after } as { type, bytes, digest } or null. */
  'admin.practice.logo_changed',
  'admin.trusted_ip.added',
  'admin.trusted_ip.removed',
  'admin.client.created',
  'admin.client.updated',
  'admin.client.secret_rotated',
  'admin.client.removed',
  'admin.signing_keys.rotated',

  /** A request refused by an abuse limit; reasons: [limit name] (src/security/limit-rules.ts). */
  'request.rate_limited',

  // Admin and operator changes are intent-first (src/audit/change.ts): `change.requested` is written
  // before the change is applied (details: { change: <its event> }); the change's own entry follows
  // when it was applied, `change.not_applied` when it was refused, failed or changed nothing.
  'change.requested',
  'change.not_applied',

  // The audit log itself.
  'audit.exported',
  'audit.verified',
  /** The first keyed entry after entries from before the chain was keyed: details { unkeyedThrough, lastUnkeyedHash }. */
  'audit.chain_keyed',
  /** Entries through `throughSeq` were moved to an archive ending in `lastHash` (details; `audit archive`). */
  'audit.archived',
] as const;

export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export const AUDIT_OUTCOMES = ['success', 'failure', 'info'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

const known: ReadonlySet<string> = new Set(AUDIT_EVENTS);

export function isAuditEvent(name: unknown): name is AuditEvent {
  return typeof name === 'string' && known.has(name);
}
