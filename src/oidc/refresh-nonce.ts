// OIDC Core §12.2 (errata): an ID token issued by a refresh SHOULD NOT carry a nonce. oidc-provider
// copies the authorization code's nonce into the refresh token and from there into every refreshed
// ID token; a refresh token here never keeps one (the code's ID token still carries it).
import type Provider from 'oidc-provider';

export function dropNonceFromRefreshTokens(provider: Provider): void {
  Object.defineProperty(provider.RefreshToken.prototype, 'nonce', {
    configurable: true,
    get: () => undefined,
    set: () => {},
  });
}
