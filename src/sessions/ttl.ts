// Lifetimes (seconds) of everything the provider issues, chosen for clinical work: short access
// tokens, a sign-in that lasts a working shift, interactions long enough to fetch a one-time code.
export const TTL = {
  AccessToken: 15 * 60,
  AuthorizationCode: 60,
  IdToken: 60 * 60,
  RefreshToken: 12 * 60 * 60,
  Session: 12 * 60 * 60,
  Grant: 30 * 24 * 60 * 60,
  Interaction: 30 * 60,
  ClientCredentials: 10 * 60,
  DeviceCode: 10 * 60,
  BackchannelAuthenticationRequest: 10 * 60,
  PreAuthorizedCode: 10 * 60,
} as const;

/**
 * How long a retired signing key stays published: the longest lifetime of a token it may have
 * signed (ID tokens are also accepted later as id_token_hint, so we keep the generous bound).
 */
export const SIGNING_KEY_RETENTION_SECONDS = Math.max(
  TTL.AccessToken, TTL.IdToken, TTL.RefreshToken, TTL.ClientCredentials,
);
