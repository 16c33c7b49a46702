// The gate in front of /account and /admin: reads the provider's browser session and, when it is
// missing or below what the page needs, sends the browser through an authorization request of the
// console client (see client.ts) and back. What each page needs:
//   - a signed-in, active user whose session is within its idle time-out and lifetime (always;
//     each page served counts as activity), and that the practice's risk rules would not step up
//     now (the same assessment the modules' SSO requests get: src/mfa/session-risk.ts);
//   - `mfa`: the session holds the MFA level (admin pages);
//   - `maxAgeSeconds`: the last sign-in is that recent and at the MFA level (a fresh second factor
//     before 2FA changes);
//   - `role`: the user has that role in their practice (admin pages);
//   - always, a phishing-resistant session (acr phr) when the practice the session entered requires
//     a passkey of this user ("phishing-resistant required": src/mfa/factors/passkey-policy.ts),
//     read from the practice at every request, so a switch turned on applies at once to sessions
//     signed in before it. Below phr, every page and form is refused the same way: the browser is
//     sent through the sign-in's step-up to the passkey (or, holding none, to its registration
//     inside the sign-in) and back. One gate for every /account and /admin route, GET and POST.
// The step-up names the practice the session entered (practice_hint), so the sign-in assesses the
// same practice this gate did (a person required in practice A is not stepped up for B's pages).
// A form posted after the session lapsed is not replayed: the browser is sent back to a page (the
// form's address, or the nearest page above it: form-page.ts), which asks as above.
import { usePracticeLanguage } from '../i18n/request.js';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { PracticeDoc, UserDoc } from '../accounts/service.js';
import { appError } from '../errors.js';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import type Provider from 'oidc-provider';
import { readDeviceId } from '../http/device-cookie.js';
import { requestOrigin } from '../net/request-origin.js';
import { assessSession } from '../mfa/session-risk.js';
import { ACR_MFA, ACR_PHR } from '../mfa/risk/acr.js';
import { phrRequiredOfPractice } from '../accounts/passkey-policy.js';
import { createSessionActivity } from '../sessions/activity.js';
import type { UserRole } from '../store/models/index.js';
import { CONSOLE_CLIENT_ID, CONSOLE_RETURN_PATH } from './client.js';
import { joinMember } from '../accounts/memberships.js';
import { pageOfForm } from './form-page.js';

/** What this module needs from the composition root (src/app/). */
export interface ConsoleGuardDeps {
  /** The public issuer URL. */
  issuer: string;
  mfa: Mfa;
  models: Models;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  /** Cookies we set carry Secure: the issuer is https. */
  secureCookies: boolean;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
}

export interface SignInRequirement {
  mfa?: boolean;
  maxAgeSeconds?: number;
  role?: UserRole;
}

declare module 'koa' {
  interface DefaultState {
    /** Set by requireSignIn: who is signed in to the account or admin console. */
    signedIn?: SignedIn;
  }
}

export interface SignedIn {
  /** The provider session's uid (stable across its id rotations). */
  sessionUid: string;
  user: UserDoc;
  practice: PracticeDoc;
  acr?: string;
  amr: string[];
  /** When the session's last sign-in happened, in ms since the epoch. */
  authTime: number;
}

const RETURN_COOKIE = 'idp.console';
/** The authorization parameter naming the practice to enter (PRACTICE_HINT of src/oidc/practice-choice.ts, which imports this folder's client). */
const PRACTICE_HINT = 'practice_hint';

export function requireSignIn(services: ConsoleGuardDeps, requirement: SignInRequirement = {}): Middleware {
  const activity = createSessionActivity(services);
  return async (ctx, next) => {
    const session = await services.provider().Session.get(ctx as never);
    // The practice the session last entered (src/oidc/practice-grant.ts): the pages serve it, and ask
    // its rules. A membership no longer active there sends the browser through the sign-in again.
    const identity = session.accountId ? await services.models.User.findOne({ sub: session.accountId }) : null;
    const entered = identity ? await services.models.SessionActivity.findOne({ _id: session.uid, accountId: identity.sub }, { practiceId: 1 }).lean() : null;
    const membership = identity && entered ? await services.models.Membership.findOne({ userId: identity._id, practiceId: entered.practiceId, status: 'active' }).lean() : null;
    const user = identity && membership ? joinMember(identity, membership) : null;
    const practice = user ? await services.models.Practice.findById(user.practiceId) : null;
    if (!user || !practice) return startSignIn(ctx, services, {});
    // The practice is known: its language, when neither the browser nor the switcher names one.
    usePracticeLanguage(practice.language);
    // Idle or past its lifetime: the authorization request's login prompt asks for a full sign-in.
    const practiceHint = String(user.practiceId);
    if ((await activity.use(session.uid, user.sub)) !== 'active') return startSignIn(ctx, services, { loginHint: user.email, practiceHint });

    // The practice requires a passkey of this user (the practice document just read: no extra read):
    // nothing below phr passes, whatever the page, method or form.
    const passkeyDemanded = phrRequiredOfPractice(practice, user);
    if (passkeyDemanded && session.acr !== ACR_PHR) {
      return startSignIn(ctx, services, { acrValues: ACR_PHR, ...(requirement.maxAgeSeconds !== undefined ? { maxAge: requirement.maxAgeSeconds } : {}), loginHint: user.email, practiceHint });
    }

    const authTime = (session.loginTs ?? 0) * 1000;
    // The same question the modules' authorization requests get (src/mfa/session-risk.ts), for what
    // this page needs: the MFA level (`mfa`), a recent second factor (`maxAgeSeconds`), and in any
    // case whatever the practice's rules demand of this session now (a new network, the policy
    // turned to `always`...). A demand is met by stepping the session up through the sign-in.
    const wantsMfa = requirement.mfa === true || requirement.maxAgeSeconds !== undefined;
    const maxAge = requirement.maxAgeSeconds;
    const deviceId = readDeviceId(ctx);
    const ip = requestOrigin(ctx).ip;
    const decision = await assessSession(services.mfa.assessSignIn, {
      user, session,
      params: { ...(wantsMfa ? { acr_values: ACR_MFA } : {}), ...(maxAge !== undefined ? { max_age: maxAge } : {}) },
      ...(deviceId ? { deviceId } : {}), ...(ip ? { ip } : {}),
    });
    if (decision.mfaRequired) {
      return startSignIn(ctx, services, { acrValues: passkeyDemanded ? ACR_PHR : ACR_MFA, ...(maxAge !== undefined ? { maxAge } : {}), loginHint: user.email, practiceHint });
    }
    if (requirement.role && user.role !== requirement.role) {
      throw appError('forbidden', { detail: `role ${requirement.role} required` });
    }

    ctx.state.signedIn = { sessionUid: session.uid, user, practice, acr: session.acr, amr: session.amr ?? [], authTime } satisfies SignedIn;
    await next();
  };
}

export function signedIn(ctx: Context): SignedIn {
  const value = ctx.state.signedIn;
  if (!value) throw appError('server_error', { detail: 'route not behind requireSignIn' });
  return value;
}

interface Return {
  state: string;
  returnTo: string;
}

function startSignIn(ctx: Context, services: ConsoleGuardDeps, ask: { acrValues?: string; maxAge?: number; loginHint?: string; practiceHint?: string }): void {
  ctx.status = 303;
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return ctx.redirect(pageOfForm(ctx));
  const state = randomBytes(24).toString('base64url');
  ctx.cookies.set(RETURN_COOKIE, JSON.stringify({ state, returnTo: ctx.originalUrl } satisfies Return), {
    signed: true, httpOnly: true, sameSite: 'lax', secure: services.secureCookies, path: CONSOLE_RETURN_PATH, maxAge: 30 * 60 * 1000, overwrite: true,
  });
  const params = new URLSearchParams({
    client_id: CONSOLE_CLIENT_ID,
    response_type: 'none',
    scope: 'openid',
    redirect_uri: new URL(CONSOLE_RETURN_PATH, services.issuer).href,
    state,
    ...(ask.acrValues ? { acr_values: ask.acrValues } : {}),
    ...(ask.maxAge !== undefined ? { max_age: String(ask.maxAge) } : {}),
    ...(ask.loginHint ? { login_hint: ask.loginHint } : {}),
    ...(ask.practiceHint ? { [PRACTICE_HINT]: ask.practiceHint } : {}),
  });
  ctx.redirect(`/auth?${params}`);
}

/** GET /console/return: the end of the console's authorization request; back to the page asked for. */
export function consoleReturn(services: ConsoleGuardDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== CONSOLE_RETURN_PATH || ctx.method !== 'GET') return next();
    const saved = readReturn(ctx.cookies.get(RETURN_COOKIE, { signed: true }));
    ctx.cookies.set(RETURN_COOKIE, null, { signed: true, httpOnly: true, sameSite: 'lax', path: CONSOLE_RETURN_PATH, secure: services.secureCookies, overwrite: true });
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    if (!saved || !sameString(saved.state, state)) {
      throw appError('invalid_state', { detail: 'console return without matching state' });
    }
    if (typeof ctx.query.error === 'string') {
      throw appError('sign_in_cancelled', { detail: `console sign-in ended: ${ctx.query.error}` });
    }
    ctx.status = 303;
    ctx.redirect(saved.returnTo);
  };
}

function readReturn(raw: string | undefined): Return | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Return>;
    // Only a path on this site: never `//host` or a backslash trick.
    if (typeof value.state !== 'string' || typeof value.returnTo !== 'string' || !/^\/(?![/\\])/.test(value.returnTo)) return undefined;
    return { state: value.state, returnTo: value.returnTo };
  } catch {
    return undefined;
  }
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
