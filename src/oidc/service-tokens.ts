// Client credentials tokens (service clients, see clients.ts `serviceAccess`). Kept apart from
// clients.ts, which the CLI loads: this needs oidc-provider at run time, the CLI does not.
import { errors, type Provider } from 'oidc-provider';

/**
 * A client credentials token stands for the client alone: no user, so no user scope. The library
 * keeps only the provider's own scopes (all of them about a user: openid, email, profile,
 * offline_access) on such a token and drops any other; we refuse those instead of issuing a token
 * that looks like it speaks for someone. It carries no audience either (provider.ts registers no
 * resource server, so a `resource` is refused): an opaque token, checked by introspection.
 */
export function installServiceTokenPolicy(provider: Provider): void {
  const prototype = provider.ClientCredentials.prototype as unknown as { scope?: string; save(): Promise<string> };
  const save = prototype.save;
  prototype.save = function saveServiceToken(this: { scope?: string }) {
    if (this.scope) throw new errors.InvalidScope('a client credentials token carries no user scope', this.scope);
    return save.call(this);
  };
}
