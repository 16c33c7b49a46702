// The oidc-provider options SMART needs, built from narrow dependencies (provider.ts spreads them).
//
//   aud (SMART) ─▶ resource indicator: defaultResource turns the `aud` parameter into the request's
//   resource, getResourceServerInfo accepts only a registered FHIR server and decides the SMART
//   scopes against the client's registration (refusing any it is not registered for), and the
//   token for it is a JWT (RFC 9068, `typ: at+jwt`) whose `aud` is the FHIR base URL.
//   useGrantedResource: the code's resource is used at the token endpoint even with `openid`.
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { LaunchDeps } from './launch/service.js';
import { decideScopes, isSmartScope, parseClinicalScope, type SmartContext } from './scopes.js';

type Client = NonNullable<KoaContextWithOIDC['oidc']['client']>;

export interface SmartProviderDeps {
  /** EHR launch values (src/smart/launch/). */
  launches: LaunchDeps;
  /** The active FHIR server registered at this base URL (src/smart/resource-servers.ts). */
  findResourceServer(baseUrl: string): Promise<{ baseUrl: string } | undefined>;
  /** The base URL of the only active FHIR server, when exactly one is registered (Backend Services default). */
  soleResourceServer(): Promise<string | undefined>;
  /** Claims every access token for a FHIR server carries besides the standard ones (fhirUser, launch context). */
  tokenClaims?(ctx: KoaContextWithOIDC, token: { accountId?: string; clientId?: string; kind: string }): Promise<Record<string, unknown> | undefined>;
}

/** Client metadata property with the SMART scopes the operator registered (clients.ts). */
export const SMART_SCOPES_METADATA = 'smart_scopes';

export const AUD_PARAM = 'aud';

/** The scopes a request is about: the authorization request's, or those of the code / refresh token redeemed. */
function requestedScopes(ctx: KoaContextWithOIDC): string[] {
  const { params, entities } = ctx.oidc;
  const scope = (params?.scope as string | undefined)
    ?? (entities.AuthorizationCode as { scope?: string } | undefined)?.scope
    ?? (entities.RefreshToken as { scope?: string } | undefined)?.scope
    ?? '';
  return scope.split(' ').filter(Boolean);
}

function contextsOf(ctx: KoaContextWithOIDC): SmartContext[] {
  return ctx.oidc.params?.grant_type === 'client_credentials' ? ['system'] : ['patient', 'user'];
}

export function registeredSmartScopes(client: Client | undefined): string[] {
  const value = client?.[SMART_SCOPES_METADATA];
  return Array.isArray(value) ? value.filter((scope): scope is string => typeof scope === 'string') : [];
}

export function smartResourceIndicators(deps: SmartProviderDeps) {
  return {
    enabled: true,
    async defaultResource(ctx: KoaContextWithOIDC, _client: Client, oneOf?: readonly string[]) {
      if (oneOf) return oneOf.length === 1 ? oneOf[0]! : oneOf;
      const aud = ctx.oidc.params?.[AUD_PARAM];
      if (typeof aud === 'string') return aud;
      // Backend Services sends no aud: system scopes go to the FHIR server when only one is registered.
      if (contextsOf(ctx).includes('system') && requestedScopes(ctx).some(isSmartScope)) {
        const sole = await deps.soleResourceServer();
        if (!sole) throw new errors.InvalidTarget('name the FHIR server with the resource parameter (more than one, or none, is registered)');
        return sole;
      }
      return undefined;
    },
    useGrantedResource: () => true,
    async getResourceServerInfo(ctx: KoaContextWithOIDC, indicator: string, client: Client) {
      const server = await deps.findResourceServer(indicator);
      if (!server) throw new errors.InvalidTarget(`"${indicator}" is not a FHIR server registered with this provider`);
      const contexts = contextsOf(ctx);
      const decision = decideScopes(requestedScopes(ctx), registeredSmartScopes(client), contexts);
      if (decision.refused.length > 0) {
        throw new errors.InvalidScope(`the client is not registered for ${decision.refused.join(' ')} (or the scope does not fit this flow)`, decision.refused.join(' '));
      }
      if (contexts.includes('system')) {
        // SMART Backend Services: an asymmetric client assertion, never a shared secret.
        if (decision.granted.length > 0 && client.clientAuthMethod !== 'private_key_jwt') {
          throw new errors.InvalidScope('system scopes need a client that authenticates with private_key_jwt', decision.granted.join(' '));
        }
        // The library filters the token's scope by the request's: give it the v2 forms to match.
        ctx.oidc.params!.scope = requestedScopes(ctx).map((scope) => parseClinicalScope(scope)?.v2 ?? scope).join(' ');
      }
      return {
        scope: decision.granted.join(' '),
        audience: server.baseUrl,
        accessTokenFormat: 'jwt' as const,
        jwt: { sign: { alg: 'RS256' as const } },
      };
    },
  };
}

/**
 * The `aud` authorization parameter: required with any SMART scope (unless `resource` is sent,
 * which then must be the same), and the moment v1 scopes are rewritten in v2 form so the grant
 * and the token carry v2. oidc-provider runs this after the resource check, before the grant.
 */
export async function checkAudParam(ctx: KoaContextWithOIDC, value: unknown): Promise<void> {
  const { params } = ctx.oidc;
  if (!params) return;
  const scopes = String(params.scope ?? '').split(' ').filter(Boolean);
  if (value === undefined) {
    // Without a resource the library has already dropped every scope but its own: read the request's.
    const asked = ctx.oidc.route === 'authorization' ? ctx.query.scope : (ctx.oidc.body as { scope?: unknown } | undefined)?.scope;
    if (String(asked ?? '').split(' ').some(isSmartScope) && params.resource === undefined) {
      throw new errors.InvalidRequest('aud (the FHIR server base URL) is required with SMART scopes');
    }
  } else if (typeof value !== 'string' || (params.resource !== undefined && params.resource !== value)) {
    throw new errors.InvalidRequest('aud must be one URL, the same as resource when both are sent');
  }
  if (scopes.length > 0) params.scope = scopes.map((scope) => parseClinicalScope(scope)?.v2 ?? scope).join(' ');
}

export function smartTokenClaims(deps: SmartProviderDeps) {
  return async (ctx: KoaContextWithOIDC, token: { accountId?: string; clientId?: string; kind: string; resourceServer?: unknown }) => {
    if (!token.resourceServer || !deps.tokenClaims) return undefined;
    return deps.tokenClaims(ctx, token);
  };
}
