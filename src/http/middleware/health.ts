// GET /healthz: liveness and readiness in one, for container health checks and load balancers.
// Ready means the store answers a ping; the body never says more than ok / unavailable.
import type { Middleware } from 'koa';
import type { Connection } from 'mongoose';

export function healthCheck(connection: Connection): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/healthz') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    try {
      await connection.db!.command({ ping: 1 });
      ctx.body = { status: 'ok' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'unavailable' };
    }
  };
}
