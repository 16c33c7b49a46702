// The operator CLI runs no provider, but ending a user's sessions must tell the modules holding
// them (back-channel logout), as the admin pages do. This builds one from the same store and
// configuration as the running provider (its signing keys, its registered clients, its ISSUER) to
// sign the logout tokens, only when the user has a browser session for it to end.
import type Provider from 'oidc-provider';
import type { AuditLog } from '../audit/record.js';
import type { Config } from '../config/index.js';
import type { Render } from '../http/render.js';
import type { AssessSignIn } from '../mfa/sign-in-risk.js';
import { resolveCookieKeys } from '../oidc/cookie-keys.js';
import { loadSigningJwks } from '../oidc/keys.js';
import type { Models } from '../store/models/index.js';

export function logoutProviders(store: { config: Config; models: Models }, services: { assessSignIn: AssessSignIn; audit: AuditLog; render: Render }, warn: (line: string) => void) {
  let built: Promise<Provider> | undefined;
  const build = async () => {
    const { config, models } = store;
    // Loaded only when a logout is to be signed: most commands never need the provider library.
    const [{ createProvider }, { createSmartProviderDeps }] = await Promise.all([import('../oidc/provider.js'), import('../smart/provider-deps.js')]);
    const [jwks, cookieKeys] = await Promise.all([loadSigningJwks(config, { models }), resolveCookieKeys(config, models)]);
    return createProvider({ config, models, jwks, cookieKeys, render: services.render, logger: { warn, error: warn }, assessSignIn: services.assessSignIn, audit: services.audit, smart: createSmartProviderDeps(models, Date.now) });
  };
  /** A provider to sign logout tokens for this user's sessions; null when they have none. */
  return async (accountId: string): Promise<Provider | null> => {
    const sessions = await store.models.OidcRecord.collection.countDocuments({ kind: 'Session', accountId });
    return sessions === 0 ? null : (built ??= build());
  };
}
