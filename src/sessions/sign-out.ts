// RP-initiated logout (`/session/end`), completed the way a clinic needs it. What oidc-provider
// does by itself (lib/actions/end_session.js): always shows a "Sign out?" page, and on "Sign out"
// tells every module by back-channel logout and destroys the session, but keeps the grants of
// modules that hold offline access, whose refresh tokens then keep working. What we add:
//
// - `signOutOnHint`: a module's request carrying a valid `id_token_hint` for *this* sign-in (same
//   `sub`, and the `sid` this session gave that module, or its auth_time) ends it at once, without the second click
//   (as Keycloak does): every module is told, every grant of the session is revoked, and the
//   browser goes to the module's registered post_logout_redirect_uri (or our signed-out page).
//   A hint for another user or another sign-in (an old ID token) gets the confirmation page.
// - `revokeWhatLogoutKept`: after a confirmed "Sign out" (no hint), the grants the provider kept
//   are revoked too, so no module's refresh or access token outlives the sign-out.
import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { AuditLog } from '../audit/record.js';
import type { Models } from '../store/models/index.js';
import { endBrowserSession } from './end-sessions.js';
import { requestOrigin, type OriginSource, type RequestOrigin } from '../net/request-origin.js';

export interface SignOutDeps {
  models: Models;
  audit?: AuditLog;
}

interface HintPayload {
  sub?: string;
  sid?: string;
  auth_time?: number;
  aud?: string | string[];
}

/** For the provider's logoutSource: true when the session was ended here (the response is set). */
export function signOutOnHint({ models, audit }: SignOutDeps, cookieOptions: { httpOnly: boolean; sameSite: 'lax'; secure: boolean }) {
  return async (ctx: KoaContextWithOIDC): Promise<boolean> => {
    const { session, client, params, provider } = ctx.oidc;
    // The provider has already verified the hint's signature and audience and the redirect URI.
    const hint = (ctx.oidc.entities as { IdTokenHint?: { payload: HintPayload } }).IdTokenHint?.payload;
    if (!hint || !client || !session?.accountId || !params) return false;
    if (!sameSignIn(hint, session, client.clientId)) return false;

    const accountId = session.accountId;
    const practice = await practiceOf(models, accountId, session.uid);
    const ended = await endBrowserSession(provider, models, { uid: session.uid, accountId, authorizations: session.authorizations ?? {} });
    await session.destroy();
    ctx.oidc.cookies.set(provider.cookieName('session'), null, cookieOptions);
    await audit?.record({
      event: 'session.logout', outcome: 'success', userSub: accountId, clientId: client.clientId, reasons: ['id_token_hint'],
      details: { ...ended }, ...where(ctx), ...practice,
    });
    provider.emit('end_session.success', ctx);

    const back = params.post_logout_redirect_uri;
    let target: URL;
    if (typeof back === 'string') {
      target = new URL(back);
      if (typeof params.state === 'string') target.searchParams.set('state', params.state);
    } else {
      target = new URL(ctx.oidc.urlFor('end_session_success'));
      target.searchParams.set('client_id', client.clientId);
    }
    ctx.status = 303;
    ctx.redirect(target.href);
    return true;
  };
}

/**
 * Does the hint come from this very sign-in? Same user, and the `sid` this session gave the module
 * (in ID tokens of modules registered for back-channel logout) or, without one, the same auth_time
 * (an ID token from before a later sign-in or step-up does not match: the page then asks).
 */
function sameSignIn(hint: HintPayload, session: { accountId?: string; loginTs?: number; sidFor(clientId: string): string | undefined }, clientId: string): boolean {
  // Only the session id ties a token to ONE browser session: two sign-ins of the same user in the
  // same second share sub and auth_time, so a hint without `sid` (a module without back-channel
  // logout) gets the confirmation page instead of signing out whichever browser sent it.
  return hint.sub === session.accountId && hint.sid !== undefined && hint.sid === session.sidFor(clientId);
}

/** Around the provider: after a confirmed sign-out, revokes the grants it kept (offline access). */
export function revokeWhatLogoutKept({ models, audit }: SignOutDeps, provider: () => Provider): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== '/session/end/confirm') return next();
    const session = await provider().Session.get(ctx as never);
    const { uid, accountId } = session;
    const authorizations = { ...(session.authorizations ?? {}) };
    const practice = accountId ? await practiceOf(models, accountId, uid) : {};
    await next();
    // "Stay signed in" keeps the session; a sign-out deleted it.
    if (!accountId || ctx.status !== 303 || (await models.OidcRecord.exists({ kind: 'Session', uid }))) return;
    // The provider has told the modules already: no second back-channel logout.
    const ended = await endBrowserSession(null, models, { uid, accountId, authorizations });
    await audit?.record({ event: 'session.logout', outcome: 'success', userSub: accountId, reasons: ['confirmed'], details: { ...ended }, ...where(ctx), ...practice });
  };
}

function where(ctx: OriginSource): RequestOrigin {
  return requestOrigin(ctx);
}

/** The practice the signed-out session last entered (its log gets the entry). */
async function practiceOf(models: Models, sub: string, sessionUid?: string): Promise<{ practiceId?: string }> {
  const activity = sessionUid ? await models.SessionActivity.findOne({ _id: sessionUid, accountId: sub }, { practiceId: 1 }).lean() : null;
  return activity ? { practiceId: activity.practiceId.toHexString() } : {};
}
