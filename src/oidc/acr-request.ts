// What an app asked for in `acr` (an essential claim, a voluntary claim or acr_values), and the acr
// value its ID token carries (OIDC Core §5.5.1.1):
// - an essential request naming only values we do not know cannot be met: the request fails with
//   `unmet_authentication_requirements` before anyone is asked for a password;
// - an essential request is answered with the value it named that the session satisfies, so an app
//   asking for `https://refeds.org/profile/mfa` gets exactly that back;
// - a voluntary request gets the value it named when the session holds exactly that level (an
//   alias included), otherwise the session's own, possibly stronger, value.
// Whether the session holds the level at all is the mfa prompt's job (mfa-prompt.ts steps it up).
import { errors, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
import { ACR_VALUES_SUPPORTED, acrSatisfies, canonicalAcr } from '../mfa/risk/acr.js';

export interface AcrRequest {
  essential: boolean;
  values: string[];
}

type ClaimsRequest = { id_token?: { acr?: { essential?: unknown; value?: unknown; values?: unknown } | null } } | undefined;

export function acrRequestOf(claims: ClaimsRequest): AcrRequest | undefined {
  const acr = claims?.id_token?.acr;
  if (!acr || typeof acr !== 'object') return undefined;
  const values = typeof acr.value === 'string' ? [acr.value] : Array.isArray(acr.values) ? acr.values.filter((v): v is string => typeof v === 'string') : [];
  return values.length ? { essential: acr.essential === true, values } : undefined;
}

export function isKnownAcr(value: string): boolean {
  return (ACR_VALUES_SUPPORTED as readonly string[]).includes(value);
}

/** The acr an ID token issued now carries, given the session's acr and the app's request. */
export function acrToIssue(sessionAcr: string | undefined, request: AcrRequest | undefined): string | undefined {
  if (!sessionAcr || !request) return sessionAcr;
  const satisfied = request.values.filter((value) => acrSatisfies(sessionAcr, value));
  if (request.essential) return satisfied[0] ?? sessionAcr;
  return satisfied.find((value) => canonicalAcr(value) === sessionAcr) ?? sessionAcr;
}

/** First check of the login prompt: an essential acr request nothing could ever satisfy fails at once. */
export function unmetAcrCheck(): InstanceType<typeof interactionPolicy.Check> {
  const { Check } = interactionPolicy;
  return new Check('essential_acr_unknown', 'the requested authentication context is not offered', (ctx: KoaContextWithOIDC) => {
    const request = acrRequestOf(ctx.oidc.claims as ClaimsRequest);
    if (request?.essential && !request.values.some(isKnownAcr)) {
      throw new errors.UnmetAuthenticationRequirements(`none of the essential acr values is offered (supported: ${ACR_VALUES_SUPPORTED.join(' ')})`);
    }
    return Check.NO_NEED_TO_PROMPT;
  });
}

/** Makes `ctx.oidc.acr` (what authorization codes and so ID tokens carry) answer the app's request. */
export function installRequestedAcr(provider: Provider): void {
  const prototype = provider.OIDCContext.prototype as object;
  const original = Object.getOwnPropertyDescriptor(prototype, 'acr')!.get!;
  Object.defineProperty(prototype, 'acr', {
    configurable: true,
    get(this: { claims?: unknown }) {
      return acrToIssue(original.call(this) as string | undefined, acrRequestOf(this.claims as ClaimsRequest));
    },
  });
}
