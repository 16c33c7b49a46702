// What the application asked for, read from the authorization request's parameters (as the
// provider's context or a stored interaction holds them) for the risk engine. The standard MFA
// aliases count as asking for our MFA level.
import { canonicalAcr } from './risk/acr.js';
import { appRequestsMfa, type AcrClaimRequest, type AppRequest } from './risk/index.js';

export interface AuthorizationParams {
  acr_values?: unknown;
  /** The `claims` parameter: JSON text, or already parsed. */
  claims?: unknown;
  max_age?: unknown;
  prompt?: unknown;
}

export function appRequestFrom(params: AuthorizationParams): AppRequest {
  const acrValues = typeof params.acr_values === 'string'
    ? params.acr_values.split(' ').filter(Boolean).map(canonicalAcr).join(' ')
    : undefined;
  const maxAge = Number(params.max_age);
  return {
    mfaRequested: appRequestsMfa({ acrValues, acrClaim: acrClaimOf(params.claims) }),
    ...(params.max_age !== undefined && Number.isInteger(maxAge) && maxAge >= 0 ? { maxAgeSeconds: maxAge } : {}),
    promptLogin: typeof params.prompt === 'string' && params.prompt.split(' ').includes('login'),
  };
}

function acrClaimOf(claims: unknown): AcrClaimRequest | null {
  let parsed = claims;
  if (typeof claims === 'string') {
    try {
      parsed = JSON.parse(claims);
    } catch {
      return null; // the provider already refused malformed claims
    }
  }
  const acr = (parsed as { id_token?: { acr?: unknown } } | null)?.id_token?.acr;
  if (!acr || typeof acr !== 'object') return null;
  const { essential, value, values } = acr as { essential?: unknown; value?: unknown; values?: unknown };
  return {
    essential: essential === true,
    ...(typeof value === 'string' ? { value: canonicalAcr(value) } : {}),
    ...(Array.isArray(values) ? { values: values.filter((v): v is string => typeof v === 'string').map(canonicalAcr) } : {}),
  };
}
