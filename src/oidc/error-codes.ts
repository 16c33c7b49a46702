// The OAuth error codes the specifications name, where oidc-provider answers a more generic one:
// - a client asking for a response type or grant it is not registered for gets `unauthorized_client`
//   (RFC 6749 §4.1.2.1, §5.2), not `invalid_request`;
// - introspection and revocation without any client authentication get 401 `invalid_client` with a
//   WWW-Authenticate challenge (RFC 6749 §5.2, RFC 7662 §2.3), not 400 `invalid_request`.
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';

const NOT_REGISTERED_GRANT = 'requested grant type is not allowed for this client';
const NO_CLIENT_AUTH = 'no client authentication mechanism provided';
const AUTHENTICATED_ENDPOINTS = new Set(['introspection', 'revocation']);

export function installSpecErrorCodes(provider: Provider): void {
  // Called only where the authorization request is checked (response_parameters.js).
  const client = provider.Client.prototype as unknown as { responseTypeAllowed(type: string): boolean };
  const responseTypeAllowed = client.responseTypeAllowed;
  client.responseTypeAllowed = function checked(type: string) {
    if (responseTypeAllowed.call(this, type)) return true;
    throw new errors.UnauthorizedClient('requested response_type is not allowed for this client');
  };

  provider.use(async (ctx, next) => {
    await next();
    const { oidc } = ctx as KoaContextWithOIDC;
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (!oidc || body?.error !== 'invalid_request') return;
    if (oidc.route === 'token' && body.error_description === NOT_REGISTERED_GRANT) {
      body.error = 'unauthorized_client';
    } else if (AUTHENTICATED_ENDPOINTS.has(oidc.route) && body.error_description === NO_CLIENT_AUTH) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Basic realm="client authentication"');
      ctx.body = { error: 'invalid_client', error_description: 'client authentication is required' };
    }
  });
}
