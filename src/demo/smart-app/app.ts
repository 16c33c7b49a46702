/**
 * A small demo SMART app ("Growth Chart"): a public client that completes SMART App Launch with PKCE
 * and shows the launch context its token response carried (patient, encounter, fhirUser, scopes).
 *
 *   GET /launch?iss=<FHIR base>&launch=<value>   EHR launch (the demo charting module opens it)
 *   GET /standalone                              standalone launch: the EHR's patient picker chooses
 *   GET /callback                                code → tokens (PKCE, state, nonce) → GET /
 *
 * It accepts a launch only for the one FHIR server it is configured for: an app must not follow an
 * `iss` it does not know (it would send the user's authorization to someone else's server).
 */
import Koa, { type Context } from 'koa';
import * as client from 'openid-client';
import { DemoError, listenHttp, securityHeaders } from '../http-helpers.js';
import { readCookie, sessionCookie, SessionStore, type DemoSession } from '../sessions.js';
import { renderSmartAppPage, type LaunchContext } from './page.js';

export const SMART_APP_SCOPES = { ehr: 'launch openid fhirUser patient/*.rs', standalone: 'launch/patient openid fhirUser patient/*.rs' } as const;
const COOKIE = 'demo_smart_app_session';
const MAX_REMEMBERED = 1_000;

export interface DemoSmartAppOptions {
  issuer: string;
  clientId: string;
  /** The FHIR base URL (the `aud`) this app works with. */
  fhirBase: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  publicUrl?: string;
  now?: () => number;
}

export interface DemoSmartApp {
  url: string;
  redirectUri: string;
  close(): Promise<void>;
}

interface AppState {
  o: DemoSmartAppOptions;
  redirectUri: string;
  sessions: SessionStore;
  /** The launch context shown on each session's page, by session id (bounded like the sessions). */
  contexts: Map<string, LaunchContext>;
  /** What kind of launch each session's pending authorization is, by session id. */
  kinds: Map<string, string>;
  config: () => Promise<client.Configuration>;
}

export async function startDemoSmartApp(o: DemoSmartAppOptions): Promise<DemoSmartApp> {
  const { server, url, close } = await listenHttp(o);
  const redirectUri = `${url}/callback`;
  let discovered: Promise<client.Configuration> | undefined;
  const state: AppState = {
    o, redirectUri, sessions: new SessionStore(o.now ? { now: o.now } : {}), contexts: new Map(), kinds: new Map(),
    config: () => {
      discovered ??= discover(o, redirectUri).catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
      return discovered;
    },
  };
  const app = new Koa();
  app.use(async (ctx) => {
    securityHeaders(ctx, new URL(o.issuer).origin);
    try {
      const route = ROUTES[ctx.path];
      if (!route || ctx.method !== 'GET') throw new DemoError(404, 'There is no such page in this app.');
      await route(ctx, state);
    } catch (error) {
      const shown = error instanceof DemoError ? error : new DemoError(500, 'Something went wrong in this app. Please try again.');
      if (!(error instanceof DemoError)) console.warn(`[demo smart app] ${ctx.path}: ${error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown'}`);
      ctx.status = shown.status;
      ctx.type = 'html';
      ctx.body = renderSmartAppPage({ error: shown.message });
    }
  });
  server.on('request', app.callback());
  return { url, redirectUri, close };
}

type Route = (ctx: Context, s: AppState) => Promise<void>;

const ROUTES: Record<string, Route> = {
  '/': async (ctx, s) => {
    const session = s.sessions.get(readCookie(ctx.get('cookie'), COOKIE));
    const context = session ? s.contexts.get(session.id) : undefined;
    ctx.type = 'html';
    ctx.body = renderSmartAppPage(context ? { context } : {});
  },

  '/launch': async (ctx, s) => {
    const { iss, launch } = ctx.query;
    if (typeof launch !== 'string' || !launch) throw new DemoError(400, 'An EHR launch brings a launch value; open this app from the charting module.');
    if (iss !== s.o.fhirBase) throw new DemoError(400, 'This app works only with the demo practice\'s FHIR server; it will not follow another iss.');
    await authorize(ctx, s, 'EHR launch', { scope: SMART_APP_SCOPES.ehr, aud: s.o.fhirBase, launch });
  },

  '/standalone': async (ctx, s) => {
    await authorize(ctx, s, 'standalone launch', { scope: SMART_APP_SCOPES.standalone, aud: s.o.fhirBase });
  },

  '/callback': async (ctx, s) => {
    const session = s.sessions.get(readCookie(ctx.get('cookie'), COOKIE));
    const pending = session?.pending;
    if (!session || !pending) throw new DemoError(400, 'This launch has expired or was started in another browser. Please launch the app again.');
    delete session.pending; // one attempt per launch, whatever the outcome
    const kind = s.kinds.get(session.id) ?? 'launch';
    s.kinds.delete(session.id);
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(await s.config(), new URL(ctx.originalUrl, `${s.redirectUri}`), {
        pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce,
      });
    } catch (error) {
      if (error instanceof client.AuthorizationResponseError) throw new DemoError(400, `The launch did not complete (${error.error}: ${error.error_description ?? 'no description'}).`);
      throw error;
    }
    const fhirUser = tokens.claims()?.fhirUser;
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    remember(s.contexts, session.id, {
      kind,
      ...(text(tokens.patient) ? { patient: text(tokens.patient)! } : {}),
      ...(text(tokens.encounter) ? { encounter: text(tokens.encounter)! } : {}),
      ...(text(fhirUser) ? { fhirUser: text(fhirUser)! } : {}),
      ...(text(tokens.scope) ? { scope: text(tokens.scope)! } : {}),
      ...(typeof tokens.need_patient_banner === 'boolean' ? { needPatientBanner: tokens.need_patient_banner } : {}),
    });
    ctx.redirect('/');
  },
};

async function authorize(ctx: Context, s: AppState, kind: string, params: Record<string, string>): Promise<void> {
  const config = await discoveredOr503(s);
  let session: DemoSession | undefined = s.sessions.get(readCookie(ctx.get('cookie'), COOKIE));
  if (!session) {
    session = s.sessions.create();
    ctx.append('Set-Cookie', sessionCookie(COOKIE, session.id, s.redirectUri.startsWith('https:')));
  }
  session.pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
  remember(s.kinds, session.id, kind);
  ctx.redirect(client.buildAuthorizationUrl(config, {
    redirect_uri: s.redirectUri,
    code_challenge: await client.calculatePKCECodeChallenge(session.pending.codeVerifier),
    code_challenge_method: 'S256',
    state: session.pending.state,
    nonce: session.pending.nonce,
    ...params,
  }).href);
}

/** At most MAX_REMEMBERED entries: the oldest goes first, so a flood of launches cannot grow memory. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  while (map.size >= MAX_REMEMBERED) map.delete(map.keys().next().value!);
  map.set(key, value);
}

async function discoveredOr503(s: AppState): Promise<client.Configuration> {
  try {
    return await s.config();
  } catch (error) {
    console.warn(`[demo smart app] provider discovery failed: ${error instanceof Error ? error.message : String(error)}`);
    throw new DemoError(503, 'The practice sign-in service is not reachable right now. Try again in a moment.');
  }
}

function discover(o: DemoSmartAppOptions, redirectUri: string): Promise<client.Configuration> {
  const issuer = new URL(o.issuer);
  // A public client: no secret, PKCE S256 proves the code is redeemed by the app that asked for it.
  return client.discovery(issuer, o.clientId, { redirect_uris: [redirectUri], response_types: ['code'] }, client.None(),
    // Plain http is for a laptop demo only; a https issuer keeps openid-client's default refusal.
    issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined);
}
