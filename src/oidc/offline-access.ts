// Refresh tokens (`offline_access`) without `prompt=consent`. oidc-provider drops offline_access
// from every request without prompt=consent (OIDC Core §11's default); Core allows other
// conditions, and ours are: a first-party module gets it when it asks (it is part of the same EHR,
// its users never see a consent screen), a third-party app gets it once the user accepted "Stay
// connected" on our consent screen (a grant without offline_access sends the user there).
//
// The hook: oidc-provider runs every `extraParams` validator after it has filtered the scopes and
// before it loads the grant, so this one puts offline_access back when the app asked for it in the
// authorization request's query (a POSTed request arrives as a query, see post-endpoints.ts; a
// pushed or request-object request still needs prompt=consent). The parameter itself is not one an
// app may send.
import { errors, type KoaContextWithOIDC } from 'oidc-provider';

export const OFFLINE_ACCESS_HOOK = 'x_offline_access_hook';

type Client = NonNullable<KoaContextWithOIDC['oidc']['client']>;

export async function keepRequestedOfflineAccess(ctx: KoaContextWithOIDC, value: unknown, client: Client | undefined): Promise<void> {
  if (value !== undefined) throw new errors.InvalidRequest(`${OFFLINE_ACCESS_HOOK} is not a request parameter`);
  const { route, params } = ctx.oidc;
  if (route !== 'authorization' || !params || !client?.grantTypeAllowed('refresh_token')) return;
  const asked = typeof ctx.query.scope === 'string' && ctx.query.scope.split(' ').includes('offline_access');
  const scopes = new Set(params.scope?.toString().split(' ').filter(Boolean));
  const codeFlow = String(params.response_type ?? '').split(' ').includes('code');
  if (asked && codeFlow && scopes.has('openid') && !scopes.has('offline_access')) {
    params.scope = [...scopes, 'offline_access'].join(' ');
  }
}
