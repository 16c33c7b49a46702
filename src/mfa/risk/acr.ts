// Authentication context: the acr values we issue and accept, and the amr a sign-in earns.
//
// acr values (listed in discovery as acr_values_supported):
//   urn:ehr-idp:acr:pwd   single factor: a password (the code may have been waived by the risk rules;
//                         amr then holds `rba`).
//   urn:ehr-idp:acr:mfa   two factors: a password and a one-time code by SMS or email, the code
//                         entered within the session's last authentication (auth_time).
//   urn:ehr-idp:acr:phr   phishing-resistant: a passkey or security key (WebAuthn, bound to our origin),
//                         after the password or alone (passwordless, user verification required).
//                         Satisfies every request for the MFA level too.
//   https://refeds.org/profile/mfa and
//   http://schemas.openid.net/pape/policies/2007/06/multi-factor
//                         accepted in requests (acr_values or an essential acr claim) as asking for
//                         urn:ehr-idp:acr:mfa; the ID token then carries urn:ehr-idp:acr:mfa.
// An app asking for the MFA level always gets a code unless the session already holds MFA within
// max_age (our own interaction prompt enforces it: oidc-provider does not enforce acr_values).
//
// amr (RFC 8176): `pwd`; plus `otp` for an emailed code, an authenticator-app code or a recovery
// code, `sms` + `otp` for a texted code; `hwk` (a key bound to one authenticator) or `swk` (a synced
// passkey) plus `user` for WebAuthn (never `pin`: the authenticator does not say PIN or biometric);
// a passwordless passkey sign-in has the same without `pwd`; `mfa`
// whenever two factors were used; `rba` when the risk engine waived the code.

/** Password only. */
export const ACR_PASSWORD = 'urn:ehr-idp:acr:pwd';
/** Password plus a one-time code. */
export const ACR_MFA = 'urn:ehr-idp:acr:mfa';

/** A passkey or security key: phishing-resistant. */
export const ACR_PHR = 'urn:ehr-idp:acr:phr';

/** Standard names for "multi-factor" that apps may send instead of ours. */
export const MFA_ACR_ALIASES = [
  'https://refeds.org/profile/mfa',
  'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
] as const;

/** Ordered weakest first, so a higher index satisfies every lower one. */
export const ACR_VALUES = [ACR_PASSWORD, ACR_MFA, ACR_PHR] as const;
export type Acr = (typeof ACR_VALUES)[number];

/** What discovery advertises: ours, then the aliases we accept. */
export const ACR_VALUES_SUPPORTED = [...ACR_VALUES, ...MFA_ACR_ALIASES] as const;

/** RFC 8176 method references. */
export const AMR = {
  password: 'pwd',
  oneTimePassword: 'otp',
  sms: 'sms',
  multiFactor: 'mfa',
  riskBased: 'rba',
  hardwareKey: 'hwk',
  softwareKey: 'swk',
  userPresence: 'user',
  pin: 'pin',
} as const;
export type Amr = (typeof AMR)[keyof typeof AMR];

/** The amr of a password sign-in, with `rba` when the risk engine waived the code. */
export function passwordAmr(riskWaived: boolean): string[] {
  return riskWaived ? [AMR.password, AMR.riskBased] : [AMR.password];
}

/** The amr of a password plus a code sent by `channel`. */
export function secondFactorAmr(channel: 'sms' | 'email'): string[] {
  return channel === 'sms'
    ? [AMR.password, AMR.sms, AMR.oneTimePassword, AMR.multiFactor]
    : [AMR.password, AMR.oneTimePassword, AMR.multiFactor];
}

/** Maps the aliases to ACR_MFA; anything else is kept as sent. */
export function canonicalAcr(value: string): string {
  return (MFA_ACR_ALIASES as readonly string[]).includes(value) ? ACR_MFA : value;
}

/** Does an earned acr satisfy a requested one? Unknown requested values are never satisfied. */
export function acrSatisfies(earned: string | undefined, requested: string): boolean {
  const have = ACR_VALUES.indexOf(earned as Acr);
  const want = ACR_VALUES.indexOf(canonicalAcr(requested) as Acr);
  return have >= 0 && want >= 0 && have >= want;
}
