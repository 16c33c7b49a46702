// Authentication context: which acr and amr values a sign-in earns. The MFA issue adds the
// second-factor methods and the step-up rule here; everything else reads these constants.

/** Password only. */
export const ACR_PASSWORD = 'urn:ehr-idp:acr:pwd';
/** Password plus a second factor (next issue). */
export const ACR_MFA = 'urn:ehr-idp:acr:mfa';

/** Ordered weakest first, so a higher index satisfies every lower one. */
export const ACR_VALUES = [ACR_PASSWORD, ACR_MFA] as const;
export type Acr = (typeof ACR_VALUES)[number];

/** RFC 8176 method references. */
export const AMR = {
  password: 'pwd',
  oneTimePassword: 'otp',
  sms: 'sms',
  multiFactor: 'mfa',
} as const;
export type Amr = (typeof AMR)[keyof typeof AMR];

/** The acr earned by a set of methods: a password plus any other factor is MFA. */
export function acrFor(amr: readonly string[]): Acr {
  return amr.includes(AMR.password) && amr.some((method) => method !== AMR.password) ? ACR_MFA : ACR_PASSWORD;
}

/** Does an earned acr satisfy a requested one? Unknown requested values are never satisfied. */
export function acrSatisfies(earned: string | undefined, requested: string): boolean {
  const have = ACR_VALUES.indexOf(earned as Acr);
  const want = ACR_VALUES.indexOf(requested as Acr);
  return have >= 0 && want >= 0 && have >= want;
}
