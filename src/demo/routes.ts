/**
 * The demo module's routes, in the order a visit uses them:
 *   GET /  ->  GET /login  ->  provider  ->  GET /callback  ->  GET /  ->  POST /logout  ->  provider
 * plus POST /backchannel-logout, which the provider calls when the user signs out anywhere.
 */
import type { Context } from 'koa';
import * as client from 'openid-client';
import { LogoutTokenError, verifyLogoutToken } from './backchannel.js';
import { DemoError, readForm } from './http-helpers.js';
import { renderPage, type Peer } from './page.js';
import type { DemoEhrOptions } from './ehr.js';
import { DEMO_PATIENTS } from './patients.js';
import type { ProviderView } from './relying-party.js';
import { readCookie, sameSecret, sessionCookie, type DemoSession, type SessionStore } from './sessions.js';

export interface ModuleContext {
  name: string;
  title: string;
  clientId: string;
  /** Public base URL of this module, without a trailing slash. */
  url: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  sessions: SessionStore;
  provider: () => Promise<ProviderView>;
  peers: () => readonly Peer[];
  /** The provider's account settings page, linked from the module page. */
  accountUrl: string;
  now: () => number;
  /** Set on the charting module: it launches the demo SMART app and serves the patient picker (ehr.ts). */
  ehr?: DemoEhrOptions;
}

export type Route = (ctx: Context, m: ModuleContext) => Promise<void>;

export const routes: Record<string, Route> = {
  'GET /': async (ctx, m) => {
    const session = currentSession(ctx, m);
    ctx.type = 'html';
    ctx.body = renderPage({
      name: m.name, title: m.title, peers: m.peers(), accountUrl: m.accountUrl,
      ...(session?.user ? { user: session.user, csrfToken: session.csrfToken } : {}),
      ...(m.ehr ? { patients: DEMO_PATIENTS } : {}),
    });
  },

  'GET /login': async (ctx, m) => {
    const { config, scope } = await providerView(m);
    const session = currentSession(ctx, m) ?? startSession(ctx, m);
    session.pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
    ctx.redirect(
      client
        .buildAuthorizationUrl(config, {
          redirect_uri: m.redirectUri,
          scope,
          code_challenge: await client.calculatePKCECodeChallenge(session.pending.codeVerifier),
          code_challenge_method: 'S256',
          state: session.pending.state,
          nonce: session.pending.nonce,
        })
        .href,
    );
  },

  'GET /callback': async (ctx, m) => {
    const { config } = await providerView(m);
    const session = currentSession(ctx, m);
    const pending = session?.pending;
    if (!session || !pending) throw new DemoError(400, 'This sign-in has expired or was started in another browser. Please sign in again.');
    delete session.pending; // one attempt per /login, whatever the outcome
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, new URL(ctx.originalUrl, `${m.url}/`), {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
    } catch (error) {
      if (error instanceof client.AuthorizationResponseError) {
        throw new DemoError(400, `The practice account did not sign you in (${error.error_description ?? error.error}).`);
      }
      throw error;
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new DemoError(502, 'The practice account returned no ID token.');
    // A new session id at sign-in, so a cookie planted before it cannot ride along (session fixation).
    m.sessions.delete(session.id);
    const signedIn = startSession(ctx, m);
    signedIn.user = {
      idToken: tokens.id_token,
      accessToken: tokens.access_token,
      claims,
      profile: await userInfo(m, config, tokens.access_token, claims.sub),
      sid: typeof claims.sid === 'string' ? claims.sid : undefined,
      sub: claims.sub,
    };
    ctx.redirect('/');
  },

  'POST /logout': async (ctx, m) => {
    const form = await readForm(ctx);
    const session = currentSession(ctx, m);
    if (!session?.user) return void redirectSeeOther(ctx, '/');
    if (!sameSecret(session.csrfToken, form.get('csrf'))) {
      throw new DemoError(403, 'This sign-out form has expired. Reload the page and try again.');
    }
    const { config } = await providerView(m);
    m.sessions.delete(session.id);
    ctx.append('Set-Cookie', sessionCookie(cookieName(m), '', isSecure(m), true));
    const endSession = client.buildEndSessionUrl(config, {
      id_token_hint: session.user.idToken,
      post_logout_redirect_uri: m.postLogoutRedirectUri,
    });
    redirectSeeOther(ctx, endSession.href);
  },

  'POST /backchannel-logout': async (ctx, m) => {
    ctx.set('Cache-Control', 'no-store');
    const form = await readForm(ctx);
    const { config, keys } = await providerView(m);
    const metadata = config.serverMetadata();
    try {
      const target = await verifyLogoutToken(form.get('logout_token') ?? undefined, {
        issuer: metadata.issuer,
        clientId: m.clientId,
        keys,
        ...(metadata.id_token_signing_alg_values_supported ? { algorithms: metadata.id_token_signing_alg_values_supported } : {}),
        now: m.now,
      });
      m.sessions.endWhere((user) => (!target.sid || user.sid === target.sid) && (!target.sub || user.sub === target.sub));
      ctx.status = 200;
      ctx.body = '';
    } catch (error) {
      if (!(error instanceof LogoutTokenError)) throw error;
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: error.message };
    }
  },
};

export function cookieName(m: ModuleContext): string {
  // Browsers share cookies across ports of one host, so each module needs its own name.
  return `demo_${m.name.replace(/[^a-z0-9]/gi, '_')}_session`;
}

function isSecure(m: ModuleContext): boolean {
  return m.url.startsWith('https:');
}

function currentSession(ctx: Context, m: ModuleContext): DemoSession | undefined {
  return m.sessions.get(readCookie(ctx.get('cookie'), cookieName(m)));
}

function startSession(ctx: Context, m: ModuleContext): DemoSession {
  const session = m.sessions.create();
  ctx.append('Set-Cookie', sessionCookie(cookieName(m), session.id, isSecure(m)));
  return session;
}

async function providerView(m: ModuleContext): Promise<ProviderView> {
  try {
    return await m.provider();
  } catch (error) {
    console.warn(`[demo ${m.name}] provider discovery failed: ${error instanceof Error ? error.message : String(error)}`);
    throw new DemoError(503, 'The practice sign-in service is not reachable right now. Try again in a moment.');
  }
}

/** Profile claims for the page; a failure costs only the profile table, not the sign-in. */
async function userInfo(m: ModuleContext, config: client.Configuration, accessToken: string, sub: string) {
  try {
    return await client.fetchUserInfo(config, accessToken, sub);
  } catch (error) {
    console.warn(`[demo ${m.name}] userinfo failed: ${error instanceof Error ? error.message : String(error)}`);
    return {};
  }
}

function redirectSeeOther(ctx: Context, location: string): void {
  ctx.status = 303; // Koa keeps a redirect status already set; 303 turns the POST into a GET
  ctx.redirect(location);
}
