// Did the application ask for the MFA level? Either `acr_values` lists it, or the `claims` parameter
// holds an essential `acr` claim whose value(s) include it. A non-essential acr claim is a wish the
// provider may ignore (OIDC Core 5.5.1.1), so it does not force a code.
import { ACR_MFA, ACR_PHR } from './acr.js';

export interface AcrClaimRequest {
  readonly essential?: boolean;
  readonly value?: string;
  readonly values?: readonly string[];
}

export interface AcrAsked {
  /** The `acr_values` parameter: space-separated, as sent. */
  readonly acrValues?: string;
  /** `claims.id_token.acr` from the request, when present. */
  readonly acrClaim?: AcrClaimRequest | null;
}

export function appRequestsMfa({ acrValues, acrClaim }: AcrAsked): boolean {
  // The phishing-resistant level is a second factor too (src/mfa/factors/phr.ts says which).
  const levels = [ACR_MFA, ACR_PHR];
  if (acrValues?.split(' ').some((value) => levels.includes(value))) return true;
  if (!acrClaim?.essential) return false;
  return levels.includes(acrClaim.value ?? '') || (acrClaim.values?.some((value) => levels.includes(value)) ?? false);
}
