// Tokens bound to the sign-in they came from (ONC §170.315(d)(5)). A module's authorization code,
// refresh token and access token carry the uid of the browser session that issued them; they are
// honoured only while that sign-in may still be used. So a refresh token stops working when its
// sign-in ends: sign-out (the session's activity record goes with it), idle time-out, the absolute
// lifetime, a password reset or change and deactivation (which also revoke the grants). And a
// rotated refresh token never outlives the sign-in: every refresh token and access token is issued
// with a lifetime that ends at the latest at the sign-in's absolute end (and a rotation never
// extends its predecessor's).
//
// A module's refresh is not the user's activity: it reads the sign-in's state without recording a
// use. Only the user's own requests (authorization requests, /account and /admin pages) keep a
// sign-in alive; a module that keeps refreshing in the background cannot hold a walked-away
// clinician's sign-in open.
//
// The check sits in findAccount, which oidc-provider asks for every token it honours for a user
// (code exchange, refresh, userinfo): it answers "no such account" once the sign-in is over, and
// the client gets `invalid_grant` (token endpoint) or `invalid_token` (userinfo).
import type { FindAccount, KoaContextWithOIDC } from 'oidc-provider';
import { TTL } from './ttl.js';
import type { ActivityReads, SessionActivityTracker } from './activity.js';

const BOUND_KINDS = new Set(['AuthorizationCode', 'RefreshToken', 'AccessToken']);

interface TokenLike {
  kind?: string;
  sessionUid?: string;
}

interface RotatedLike {
  remainingTTL: number;
}

export interface TokenBinding {
  findAccount: FindAccount;
  /** ttl.RefreshToken: at most 12 h, never past the sign-in's end or the rotated token's expiry. */
  refreshTokenTtl: (ctx: KoaContextWithOIDC | undefined) => number;
  /** ttl.AccessToken: at most 15 minutes, never past the sign-in's end. */
  accessTokenTtl: (ctx: KoaContextWithOIDC | undefined) => number;
}

export function bindTokensToSignIn(
  findAccount: FindAccount, activity: SessionActivityTracker, now: () => number, readsFor: (ctx: object) => ActivityReads = () => ({}),
): TokenBinding {
  // The sign-in's absolute end (ms) as read by this request's findAccount, for the ttl functions.
  const ends = new WeakMap<object, number>();
  const secondsLeft = (ctx: object | undefined) => {
    const endsAt = ctx ? ends.get(ctx) : undefined;
    return endsAt === undefined ? Infinity : Math.max(1, Math.floor((endsAt - now()) / 1000));
  };

  return {
    async findAccount(ctx, sub, token) {
      const bound = token as TokenLike | undefined;
      if (bound?.sessionUid && BOUND_KINDS.has(bound.kind ?? '')) {
        const signIn = await activity.signIn(bound.sessionUid, sub, readsFor(ctx));
        if (signIn.state !== 'active') return undefined;
        if (signIn.endsAt !== undefined) ends.set(ctx, signIn.endsAt);
      }
      return findAccount(ctx, sub, token);
    },
    refreshTokenTtl(ctx) {
      const rotated = (ctx?.oidc?.entities as { RotatedRefreshToken?: RotatedLike } | undefined)?.RotatedRefreshToken;
      return Math.min(TTL.RefreshToken, rotated ? Math.max(1, rotated.remainingTTL) : Infinity, secondsLeft(ctx));
    },
    accessTokenTtl(ctx) {
      return Math.min(TTL.AccessToken, secondsLeft(ctx));
    },
  };
}
