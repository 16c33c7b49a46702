// The store-backed dependencies of the SMART provider options (provider-options.ts).
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Models } from '../store/models/index.js';
import { resolveFhirUser } from './fhir-user.js';
import type { SmartProviderDeps } from './provider-options.js';
import { findResourceServer } from './resource-servers.js';

export function createSmartProviderDeps(models: Pick<Models, 'Client' | 'User'>): SmartProviderDeps {
  return {
    findResourceServer: (baseUrl) => findResourceServer({ models }, baseUrl),
    async tokenClaims(_ctx: KoaContextWithOIDC, token) {
      const audience = (token as { aud?: string | string[] }).aud;
      const baseUrl = Array.isArray(audience) ? audience[0] : audience;
      if (!token.accountId || !baseUrl) return undefined;
      const user = await models.User.findOne({ sub: token.accountId }, { fhirUser: 1 }).lean();
      return user?.fhirUser ? { fhirUser: resolveFhirUser(user.fhirUser, baseUrl) } : undefined;
    },
  };
}
