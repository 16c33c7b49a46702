// SMART `fhirUser`: the FHIR resource that represents the signed-in user (Practitioner, Patient,
// RelatedPerson or Person), stored relative (`Practitioner/123`) and resolved against the base URL
// of the FHIR server a token is for, so one user record serves every registered FHIR server.

export const FHIR_USER_TYPES = ['Practitioner', 'PractitionerRole', 'Patient', 'RelatedPerson', 'Person'] as const;
const REFERENCE = new RegExp(`^(${FHIR_USER_TYPES.join('|')})/[A-Za-z0-9\\-.]{1,64}$`);

/** The problem with a reference an admin types, or undefined when it is a valid one. */
export function fhirUserProblem(reference: string): string | undefined {
  if (REFERENCE.test(reference)) return undefined;
  return `"${reference}" is not a FHIR user reference: ${FHIR_USER_TYPES.join(', ')} followed by / and an id (letters, digits, - and .), e.g. Practitioner/123`;
}

/** The absolute URL of the user's resource on the FHIR server at `baseUrl`. */
export function resolveFhirUser(reference: string, baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${reference}`;
}

/**
 * The `fhirUser` claim for an ID token or userinfo: absolute against the FHIR server the request
 * names (its resource), otherwise the relative reference as stored.
 */
export function fhirUserClaim(ctx: { oidc?: { params?: Record<string, unknown>; entities?: Record<string, unknown> } } | undefined, reference: string): string {
  const code = ctx?.oidc?.entities?.AuthorizationCode as { resource?: string | string[] } | undefined;
  const resource = ctx?.oidc?.params?.resource ?? code?.resource;
  const baseUrl = Array.isArray(resource) ? resource[0] : resource;
  return typeof baseUrl === 'string' ? resolveFhirUser(reference, baseUrl) : reference;
}
