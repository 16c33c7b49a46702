// GET /healthz: liveness (the process answers; no dependency is asked, so a store outage never
// gets a healthy process restarted). GET /readyz: readiness for load balancers and container
// health checks (the store answers a ping and the signing keys are loaded). The body never says
// more than ok / unavailable.
import type { Context, Middleware } from 'koa';
import type { Connection } from 'mongoose';

export interface Readiness {
  connection: Connection;
  /** True once the provider holds its signing keys. */
  signingKeysLoaded: () => boolean;
}

export function healthChecks({ connection, signingKeysLoaded }: Readiness): Middleware {
  const ready = async () => {
    if (!signingKeysLoaded()) return false;
    try {
      await connection.db!.command({ ping: 1 });
      return true;
    } catch {
      return false;
    }
  };
  return async (ctx, next) => {
    if (ctx.path !== '/healthz' && ctx.path !== '/readyz') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    answer(ctx, ctx.path === '/healthz' || (await ready()));
  };
}

function answer(ctx: Context, ok: boolean) {
  ctx.status = ok ? 200 : 503;
  ctx.body = { status: ok ? 'ok' : 'unavailable' };
}
