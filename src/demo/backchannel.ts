/**
 * Verifies an OpenID Connect Back-Channel Logout token (spec section 2.6) and says whom it signs out.
 * Throws LogoutTokenError, with a message safe to return to the caller, on any token we must refuse.
 */
import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export class LogoutTokenError extends Error {
  override readonly name = 'LogoutTokenError';
}

export interface LogoutTokenExpectations {
  issuer: string;
  clientId: string;
  /** The provider's signing keys, e.g. `createRemoteJWKSet(new URL(jwks_uri))`. */
  keys: JWTVerifyGetKey;
  /** Allowed asymmetric algorithms: the provider's `id_token_signing_alg_values_supported`. */
  algorithms?: string[];
  now?: () => number;
}

/** Who the logout token names: its session id, its subject, or both. */
export interface LogoutTarget {
  sid?: string;
  sub?: string;
}

export async function verifyLogoutToken(token: unknown, expect: LogoutTokenExpectations): Promise<LogoutTarget> {
  if (typeof token !== 'string' || token.length === 0) throw new LogoutTokenError('logout_token is missing');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, expect.keys, {
      issuer: expect.issuer,
      audience: expect.clientId,
      typ: 'logout+jwt',
      requiredClaims: ['iat', 'jti', 'events'],
      // Logout tokens are for immediate delivery; an old one is a replay, not a late message.
      maxTokenAge: '5 minutes',
      clockTolerance: 30,
      ...(expect.algorithms ? { algorithms: expect.algorithms } : {}),
      ...(expect.now ? { currentDate: new Date(expect.now()) } : {}),
    }));
  } catch (error) {
    throw new LogoutTokenError(describeJoseError(error));
  }

  const events = payload.events;
  if (typeof events !== 'object' || events === null || !(BACKCHANNEL_LOGOUT_EVENT in events)) {
    throw new LogoutTokenError('logout_token events claim lacks the back-channel logout event');
  }
  if ('nonce' in payload) throw new LogoutTokenError('logout_token must not contain a nonce');

  const sid = typeof payload.sid === 'string' && payload.sid ? payload.sid : undefined;
  const sub = typeof payload.sub === 'string' && payload.sub ? payload.sub : undefined;
  if (!sid && !sub) throw new LogoutTokenError('logout_token names neither sid nor sub');
  return { ...(sid ? { sid } : {}), ...(sub ? { sub } : {}) };
}

/** A short reason for the 400 answer; jose's messages name the failed check, never the token. */
function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'logout_token signature is invalid';
  if (error instanceof errors.JWTExpired) return 'logout_token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `logout_token ${error.claim} claim is invalid`;
  if (error instanceof errors.JOSEError) return `logout_token is invalid (${error.code})`;
  throw error;
}
