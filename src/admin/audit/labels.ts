// The audit log in a practice manager's words: each event, outcome and reason as plain words (the
// page and its filter show these; the CSV and the API keep the codes). A new event in
// src/audit/events.ts must get its words here: the Record type makes a missing one a type error.
import type { AuditEvent, AuditOutcome } from '../../audit/events.js';

export const EVENT_LABELS: Readonly<Record<AuditEvent, string>> = {
  'signin.password.succeeded': 'Password accepted',
  'signin.password.failed': 'Sign-in refused',
  'signin.passkey.succeeded': 'Signed in with a passkey (no password)',
  'signin.passkey.failed': 'Passkey sign-in refused',
  'signin.completed': 'Signed in to an app',
  'mfa.required': 'Code asked for',
  'mfa.waived': 'No code needed',
  'mfa.code.sent': 'Code sent',
  'mfa.code.delivery_failed': 'Code could not be sent',
  'mfa.code.verified': 'Code accepted',
  'mfa.code.failed': 'Wrong code',
  'mfa.code.burned': 'Code no longer usable',
  'mfa.factor.verified': 'App or recovery code accepted',
  'mfa.factor.failed': 'Wrong app or recovery code',
  'mfa.recovery_code.used': 'Recovery code used',
  'factor.enrolled': 'Sign-in method added',
  'factor.removed': 'Sign-in method removed',
  'factor.enrolment_failed': 'Sign-in method not added',
  'account.locked': 'Account locked',
  'account.unlocked': 'Account unlocked',
  'password.reset.requested': 'Password reset asked for',
  'password.reset.failed': 'Password reset failed',
  'password.reset.completed': 'Password reset',
  'password.changed': 'Password changed',
  'session.logout': 'Signed out',
  'session.ended_everywhere': 'Signed out everywhere',
  'token.revoked': 'App access revoked',
  'token.refresh_reuse_detected': 'Stolen app token suspected',
  'token.client_auth_failed': 'App failed to authenticate',
  'device.remembered': 'Device remembered',
  'device.forgotten': 'Devices forgotten',
  'user.settings_changed': 'Own settings changed',
  'phone.verified': 'Mobile number verified',
  'admin.user.created': 'User added',
  'admin.user.invitation_sent': 'Invitation sent',
  'admin.user.invitation_cancelled': 'Invitation cancelled',
  'membership.joined': 'Joined the practice',
  'membership.declined': 'Invitation declined',
  'membership.left': 'Left the practice',
  'admin.user.updated': 'User changed',
  'admin.user.deactivated': 'User deactivated',
  'admin.user.reactivated': 'User reactivated',
  'admin.user.change_requested': 'Change asked for',
  'admin.user.change_proven': 'Change confirmed by the new address',
  'admin.user.change_approved': 'Change approved',
  'admin.user.change_refused': 'Change refused',
  'admin.user.change_cancelled': 'Change cancelled',
  'admin.user.change_reported': 'Change reported by the user',
  'admin.user.mfa_changed': 'Two-step sign-in changed',
  'admin.practice.security_changed': 'Practice security changed',
  'admin.practice.created': 'Practice created',
  'admin.practice.logo_changed': 'Practice logo changed',
  'admin.trusted_ip.added': 'Trusted address added',
  'admin.trusted_ip.removed': 'Trusted address removed',
  'admin.client.created': 'App registered',
  'admin.client.updated': 'App changed',
  'admin.client.secret_rotated': 'App secret replaced',
  'admin.client.removed': 'App removed',
  'admin.signing_keys.rotated': 'Signing keys replaced',
  'request.rate_limited': 'Too many attempts: refused',
  'change.requested': 'Change started',
  'change.not_applied': 'Change not made',
  'audit.exported': 'Audit log exported',
  'audit.verified': 'Audit log verified',
  'audit.chain_keyed': 'Audit log protection started',
  'audit.archived': 'Old audit entries archived',
};

export const OUTCOME_LABELS: Readonly<Record<AuditOutcome, string>> = { success: 'Succeeded', failure: 'Failed', info: 'Noted' };

/** Reasons said shortly; any other reason name is read as its words ("too_many_failures" → "too many failures"). */
const REASON_LABELS: Readonly<Record<string, string>> = {
  new_ip: 'new network',
  new_device: 'new device',
  known_device: 'known device',
  known_network: 'known network',
  policy_always: 'practice asks every time',
  user_mfa_enabled: 'two-step sign-in on for the user',
  mfa_not_enabled: 'two-step sign-in off',
  trusted_ip_bypass: 'trusted address',
  session_mfa_valid: 'already confirmed in this browser',
  step_up_requested: 'the app asked for a code',
  fresh_sign_in_requested: 'the app asked for a fresh sign-in',
  wrong_password: 'wrong password',
  unknown_user: 'unknown email',
  inactive_user: 'deactivated user',
  no_password: 'no password set yet',
  account_locked: 'account locked',
  identity_wide: 'also in their other practices',
};

export function eventLabel(event: string): string {
  return (EVENT_LABELS as Record<string, string>)[event] ?? words(event);
}

export function outcomeLabel(outcome: string): string {
  return (OUTCOME_LABELS as Record<string, string>)[outcome] ?? outcome;
}

export function reasonLabel(reason: string): string {
  return REASON_LABELS[reason] ?? words(reason);
}

/** `too_many_failures` or `mfaPolicy` as words: "too many failures", "mfa policy". */
export function words(name: string): string {
  return name.replace(/[._]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().trim();
}
