// The closed set of reasons the risk engine gives. They go to the audit log as names and are shown
// to practice admins as the sentences below, so each must make sense on its own.

export const RISK_REASONS = [
  // Why a code is asked.
  'step_up_requested',
  'policy_always',
  'user_mfa_enabled',
  'new_device',
  'new_ip',
  'fresh_sign_in_requested',
  'phishing_resistant_required',
  // Why no new code is asked.
  'session_mfa_valid',
  'known_device',
  'known_network',
  'mfa_not_enabled',
  'trusted_ip_bypass',
] as const;

export type RiskReason = (typeof RISK_REASONS)[number];

export const RISK_REASON_TEXT: Readonly<Record<RiskReason, string>> = {
  step_up_requested: 'The application asked for a two-step sign-in.',
  policy_always: 'The practice requires a code at every sign-in.',
  user_mfa_enabled: 'Two-step sign-in is turned on for this user (by the user or an administrator), so a code is asked at every sign-in.',
  new_device: 'This browser has not completed a two-step sign-in for this user before.',
  new_ip: 'The sign-in comes from a network this user has not signed in from in the last 90 days, and that is not a trusted network.',
  fresh_sign_in_requested: 'The application asked for a fresh sign-in, so the earlier two-step sign-in of this browser session did not count.',
  phishing_resistant_required: 'The practice requires a passkey or security key of this user at every sign-in.',
  session_mfa_valid: 'This browser session already completed a two-step sign-in, recently enough for this application.',
  known_device: 'This browser has completed a two-step sign-in for this user before.',
  known_network: 'The sign-in comes from a network this user signed in from in the last 90 days, or a trusted network.',
  mfa_not_enabled: 'The practice asks for a code only from users who turned two-step sign-in on, and this user has not.',
  trusted_ip_bypass: 'The sign-in comes from a trusted IP address of the practice or of this user, so no code was asked.',
};
