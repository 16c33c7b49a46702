/**
 * One demo EHR module ("charting", "billing"…): a tiny confidential relying party that signs clinicians
 * in through the provider (code flow + PKCE), shows the ID token claims, and signs out everywhere.
 * It exists so newcomers can watch SSO and back-channel logout happen between two real apps.
 */
import Koa from 'koa';
import { ehrRoutes, type DemoEhrOptions } from './ehr.js';
import { DemoError, listenHttp, securityHeaders } from './http-helpers.js';
import { renderPage, type Peer } from './page.js';
import { relyingParty } from './relying-party.js';
import { routes, type ModuleContext } from './routes.js';
import { SessionStore } from './sessions.js';

export type { Peer } from './page.js';

export interface DemoModuleOptions {
  /** Short machine name, e.g. "charting" (names the session cookie). */
  name: string;
  /** What the page calls the module, e.g. "Charting". */
  title: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** 0 picks a free port. */
  port: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Origin browsers use to reach the module, when not http://host:port (e.g. behind a proxy). */
  publicUrl?: string;
  /** Links to the other modules; a function when their URLs are known only after they start. */
  peers?: readonly Peer[] | (() => readonly Peer[]);
  /** Clock for session expiry and logout-token age checks (tests); default Date.now. */
  now?: () => number;
  /** The charting module only: act as the EHR of the demo SMART app (ehr.ts). */
  ehr?: DemoEhrOptions;
}

export interface DemoModule {
  url: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  backchannelLogoutUri: string;
  close(): Promise<void>;
}

export async function startDemoModule(o: DemoModuleOptions): Promise<DemoModule> {
  const { server, url, close } = await listenHttp(o);
  const urls = {
    url,
    redirectUri: `${url}/callback`,
    postLogoutRedirectUri: `${url}/`,
    backchannelLogoutUri: `${url}/backchannel-logout`,
  };
  const now = o.now ?? Date.now;
  const peers = o.peers;
  const m: ModuleContext = {
    name: o.name,
    title: o.title,
    clientId: o.clientId,
    url,
    redirectUri: urls.redirectUri,
    postLogoutRedirectUri: urls.postLogoutRedirectUri,
    sessions: new SessionStore({ now }),
    provider: relyingParty({ ...o, ...urls }),
    peers: typeof peers === 'function' ? peers : () => peers ?? [],
    accountUrl: new URL('/account', o.issuer).href,
    now,
    ...(o.ehr ? { ehr: o.ehr } : {}),
  };
  server.on('request', moduleApp(m, new URL(o.issuer).origin).callback());

  return { ...urls, close };
}

function moduleApp(m: ModuleContext, issuerOrigin: string): Koa {
  const app = new Koa();
  app.use(async (ctx) => {
    const smartApp = m.ehr?.smartApp.url();
    securityHeaders(ctx, issuerOrigin, ...(smartApp ? [new URL(smartApp).origin] : []));
    const route = routes[`${ctx.method} ${ctx.path}`] ?? (m.ehr ? ehrRoutes[`${ctx.method} ${ctx.path}`] : undefined);
    try {
      if (!route) throw new DemoError(404, 'There is no such page in this module.');
      await route(ctx, m);
    } catch (error) {
      const shown = error instanceof DemoError ? error : new DemoError(500, 'Something went wrong in this module. Please try again.');
      // Name and message only: openid-client and jose messages name the failed check, never a token.
      if (!(error instanceof DemoError)) console.warn(`[demo ${m.name}] ${ctx.method} ${ctx.path}: ${describe(error)}`);
      ctx.status = shown.status;
      if (ctx.path === '/backchannel-logout') {
        ctx.body = { error: shown.status >= 500 ? 'server_error' : 'invalid_request', error_description: shown.message };
      } else {
        ctx.type = 'html';
        ctx.body = renderPage({ name: m.name, title: m.title, peers: m.peers(), error: shown.message });
      }
    }
  });
  return app;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown';
}
