// One middleware around every request: a request id (the caller's `x-request-id` when it is a
// plain token, else a new one; echoed back), one structured log line when the response is done,
// and the latency histogram. Logged: method, path WITHOUT the query string (it carries codes,
// states and token hints) and without a link's token (loggablePath), route pattern, status,
// duration. Never headers or bodies.
import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

declare module 'koa' {
  interface DefaultState {
    /** This request's id, echoed in x-request-id and every log line about it. */
    requestId?: string;
  }
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;
/** Paths whose last part is a secret (an emailed set-password link's token; routes ignore case). */
const SECRET_PATH = /^(\/+password-reset\/+invitation\/+)[^/]+/i;
const FIXED_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

export function observeRequests({ logger, metrics, only = 'all' }: { logger: Logger; metrics?: Metrics; only?: 'all' | 'errors' }): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('x-request-id', requestId);
    const started = process.hrtime.bigint();
    let status: number | undefined;
    try {
      await next();
    } catch (err) {
      status = Number((err as { status?: unknown }).status) || 500;
      throw err;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(ctx);
      const fields = { requestId, method: ctx.method, path: loggablePath(ctx.path), route, status: status ?? ctx.status, durationMs: Math.round(seconds * 1e4) / 10 };
      // A developer's terminal shows failures only (the one-time codes must not drown); production logs all.
      if (only === 'all' || fields.status >= 400) logger.info('request', fields);
      metrics?.observeRequest({ method: ctx.method, route, status: fields.status }, seconds);
    }
  };
}

/** The path as logs may show it: cut short, and a link's secret token replaced. */
export function loggablePath(path: string): string {
  return path.replace(SECRET_PATH, '$1[redacted]').slice(0, 256);
}

/**
 * The matched pattern (`/interaction/:uid/:action`, `/auth/:uid`, `/token`: our routers and the
 * provider's set it alike), never the raw path: label values stay a small, fixed set.
 */
export function routeOf(ctx: Context): string {
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  if (typeof matched === 'string') return matched;
  if (FIXED_ROUTES.has(ctx.path)) return ctx.path;
  if (ctx.path.startsWith('/static/')) return '/static/*';
  return 'unmatched';
}
