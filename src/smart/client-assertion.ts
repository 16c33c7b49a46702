// private_key_jwt assertions (SMART Backend Services §"Authenticating to the Token endpoint"): the
// assertion's `exp` is no more than five minutes after the time it is checked. oidc-provider
// already checks signature, alg, iss = sub = client_id, aud, exp and the single use of `jti`
// (ReplayDetection); this adds the lifetime bound, by the app clock.
import { errors } from 'oidc-provider';

export const MAX_ASSERTION_LIFETIME_SECONDS = 5 * 60;

export function limitAssertionLifetime(now: () => number) {
  return async (_ctx: unknown, claims: { exp?: unknown; iat?: unknown }): Promise<void> => {
    const nowSeconds = Math.floor(now() / 1000);
    const exp = typeof claims.exp === 'number' ? claims.exp : Number.POSITIVE_INFINITY;
    if (exp - nowSeconds > MAX_ASSERTION_LIFETIME_SECONDS) {
      throw new errors.InvalidClientAuth(`client assertion must expire within ${MAX_ASSERTION_LIFETIME_SECONDS} seconds`);
    }
    if (typeof claims.iat === 'number' && exp - claims.iat > MAX_ASSERTION_LIFETIME_SECONDS) {
      throw new errors.InvalidClientAuth(`client assertion must live at most ${MAX_ASSERTION_LIFETIME_SECONDS} seconds (exp - iat)`);
    }
  };
}
