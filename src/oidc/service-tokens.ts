// Client credentials tokens (service clients, see clients.ts `serviceAccess`). Kept apart from
// clients.ts, which the CLI loads: this needs oidc-provider at run time, the CLI does not.
import { errors, type Provider } from 'oidc-provider';

/**
 * A client credentials token stands for the client alone: no user, so no user scope. The library
 * keeps only the provider's own scopes (all of them about a user: openid, email, profile,
 * offline_access) on such a token and drops any other; we refuse those instead of issuing a token
 * that looks like it speaks for someone. It carries no audience either (provider.ts registers no
 * resource server but for SMART Backend Services, src/smart/): an opaque token, checked by introspection.
 */
export function installServiceTokenPolicy(provider: Provider): void {
  const prototype = provider.ClientCredentials.prototype as unknown as { scope?: string; resourceServer?: unknown; save(): Promise<string> };
  const save = prototype.save;
  prototype.save = function saveServiceToken(this: { scope?: string; resourceServer?: unknown }) {
    // SMART Backend Services: system scopes for a registered FHIR server (src/smart/) are the exception.
    if (this.scope && !this.resourceServer) throw new errors.InvalidScope('a client credentials token carries no user scope', this.scope);
    return save.call(this);
  };
}
