// Does the app demand the phishing-resistant level (urn:ehr-idp:acr:phr)? Only when nothing weaker
// would do: every level it names in `acr_values`, or in an essential `acr` claim, is phr. (An app
// listing "mfa phr" accepts either, so a code suffices.) Read from the authorization request's
// parameters, which the interaction keeps server-side; every sign-in step asks it again.
import { ACR_MFA, ACR_PHR, canonicalAcr } from '../risk/acr.js';
import type { AuthorizationParams } from '../app-request.js';

const LEVELS: readonly string[] = [ACR_MFA, ACR_PHR];

export function phrRequired(params: AuthorizationParams): boolean {
  const asked = levelsAsked(params);
  return asked.length > 0 && asked.every((value) => value === ACR_PHR);
}

function levelsAsked(params: AuthorizationParams): string[] {
  const fromValues = typeof params.acr_values === 'string' ? params.acr_values.split(' ').map(canonicalAcr).filter((v) => LEVELS.includes(v)) : [];
  let claims = params.claims;
  if (typeof claims === 'string') {
    try {
      claims = JSON.parse(claims);
    } catch {
      claims = undefined;
    }
  }
  const acr = (claims as { id_token?: { acr?: { essential?: unknown; value?: unknown; values?: unknown } } } | undefined)?.id_token?.acr;
  const claimed = acr?.essential === true
    ? [...(typeof acr.value === 'string' ? [acr.value] : []), ...(Array.isArray(acr.values) ? acr.values.filter((v): v is string => typeof v === 'string') : [])].map(canonicalAcr).filter((v) => LEVELS.includes(v))
    : [];
  return [...fromValues, ...claimed];
}
