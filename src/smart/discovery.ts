// GET /.well-known/smart-configuration (SMART App Launch 2.2 §"SMART on FHIR Well-Known"): what an
// app needs to start, open to any origin (the document is public and apps fetch it from browsers).
// Only capabilities that work are listed; docs/smart.md names the others and why they are absent.
import type { Middleware } from 'koa';

export const SMART_CONFIGURATION_PATH = '/.well-known/smart-configuration';

/** SMART capability codes this provider honours (docs/smart.md). */
export const CAPABILITIES = [
  'launch-ehr',
  'launch-standalone',
  'context-ehr-patient',
  'context-ehr-encounter',
  'context-standalone-patient',
  'authorize-post',
  'client-public',
  'client-confidential-symmetric',
  'client-confidential-asymmetric',
  'sso-openid-connect',
  'permission-offline',
  'permission-patient',
  'permission-user',
  'permission-v1',
  'permission-v2',
] as const;

export const SMART_SCOPES_SUPPORTED = ['openid', 'fhirUser', 'profile', 'email', 'offline_access', 'launch', 'launch/patient', 'patient/*.cruds', 'user/*.cruds', 'system/*.cruds'];

export interface SmartDiscoveryDeps {
  issuer: string;
  tokenEndpointAuthMethods: readonly string[];
  tokenEndpointAuthSigningAlgs: readonly string[];
  /** Extra scopes and capabilities switched on by other SMART parts (launch, backend services). */
  extraScopes?: readonly string[];
  extraCapabilities?: readonly string[];
  grantTypes: readonly string[];
}

export function smartConfiguration(deps: SmartDiscoveryDeps): Record<string, unknown> {
  const base = deps.issuer.replace(/\/$/, '');
  return {
    issuer: deps.issuer,
    jwks_uri: `${base}/jwks`,
    authorization_endpoint: `${base}/auth`,
    token_endpoint: `${base}/token`,
    introspection_endpoint: `${base}/token/introspection`,
    revocation_endpoint: `${base}/token/revocation`,
    userinfo_endpoint: `${base}/me`,
    grant_types_supported: [...deps.grantTypes],
    token_endpoint_auth_methods_supported: [...deps.tokenEndpointAuthMethods],
    token_endpoint_auth_signing_alg_values_supported: [...deps.tokenEndpointAuthSigningAlgs],
    scopes_supported: [...SMART_SCOPES_SUPPORTED, ...(deps.extraScopes ?? [])],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [...CAPABILITIES, ...(deps.extraCapabilities ?? [])],
  };
}

export function smartDiscovery(deps: SmartDiscoveryDeps): Middleware {
  const path = `${new URL(deps.issuer).pathname.replace(/\/$/, '')}${SMART_CONFIGURATION_PATH}`;
  const document = JSON.stringify(smartConfiguration(deps));
  return async (ctx, next) => {
    if (ctx.path !== path) return next();
    ctx.set('Access-Control-Allow-Origin', '*');
    if (ctx.method === 'OPTIONS') {
      ctx.set('Access-Control-Allow-Methods', 'GET');
      ctx.status = 204;
      return;
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      ctx.status = 405;
      ctx.body = { error: 'invalid_request', error_description: 'use GET' };
      return;
    }
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.type = 'application/json';
    ctx.body = document;
  };
}
