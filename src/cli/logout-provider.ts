// The operator CLI runs no provider, but ending a user's sessions must tell the modules holding
// them (back-channel logout), as the admin pages do. This builds one from the same store and
// configuration as the running provider (its signing keys, its registered clients, its ISSUER) to
// sign the logout tokens, only when the user has a browser session for it to end.
import type Provider from 'oidc-provider';
import { createRenderer } from '../http/render.js';
import type { Mfa } from '../mfa/index.js';
import { resolveCookieKeys } from '../oidc/cookie-keys.js';
import { loadSigningJwks } from '../oidc/keys.js';
import { createProvider } from '../oidc/provider.js';
import type { CliContext } from './context.js';

export function logoutProviders(context: Pick<CliContext, 'config' | 'models'>, mfa: Pick<Mfa, 'assessSignIn' | 'audit'>, warn: (line: string) => void) {
  let built: Promise<Provider> | undefined;
  const build = async () => {
    const { config, models } = context;
    const [jwks, cookieKeys] = await Promise.all([loadSigningJwks(config, { models }), resolveCookieKeys(config, models)]);
    return createProvider({ config, models, jwks, cookieKeys, render: createRenderer(), logger: { warn, error: warn }, assessSignIn: mfa.assessSignIn, audit: mfa.audit });
  };
  /** A provider to sign logout tokens for this user's sessions; null when they have none. */
  return async (accountId: string): Promise<Provider | null> => {
    const sessions = await context.models.OidcRecord.collection.countDocuments({ kind: 'Session', accountId });
    return sessions === 0 ? null : (built ??= build());
  };
}
