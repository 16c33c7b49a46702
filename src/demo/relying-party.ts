/**
 * The demo module's view of the provider: openid-client configuration and the provider's signing keys,
 * discovered on first use (so a module may start before the provider) and retried after a failure.
 */
import * as client from 'openid-client';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

export interface ProviderView {
  config: client.Configuration;
  keys: JWTVerifyGetKey;
  /** Scopes to request: ours, narrowed to what the provider advertises. */
  scope: string;
}

/** Scopes the demo would like; `openid` is always sent. Refresh tokens are not needed for a demo page. */
const WANTED_SCOPES = ['openid', 'profile', 'email', 'practice', 'roles'];

export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

export function relyingParty(o: RelyingPartyOptions): () => Promise<ProviderView> {
  let pending: Promise<ProviderView> | undefined;
  return () => {
    pending ??= discover(o).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

async function discover(o: RelyingPartyOptions): Promise<ProviderView> {
  const issuer = new URL(o.issuer);
  const config = await client.discovery(
    issuer,
    o.clientId,
    {
      redirect_uris: [o.redirectUri],
      post_logout_redirect_uris: [o.postLogoutRedirectUri],
      response_types: ['code'],
    },
    client.ClientSecretBasic(o.clientSecret),
    // Plain http is for a laptop demo only; a https issuer keeps openid-client's default refusal.
    issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined,
  );
  const metadata = config.serverMetadata();
  if (!metadata.jwks_uri) throw new Error(`${o.issuer} advertises no jwks_uri`);
  const advertised = metadata.scopes_supported;
  const scope = WANTED_SCOPES.filter((s) => s === 'openid' || !advertised || advertised.includes(s)).join(' ');
  return { config, keys: createRemoteJWKSet(new URL(metadata.jwks_uri)), scope };
}
