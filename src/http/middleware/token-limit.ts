// Limits POST /token per client IP before the request reaches oidc-provider. Relying parties call
// it from their servers, so the budget is generous (one EHR backend speaks for many clinicians);
// it stops a flood of code or refresh-token guesses, not normal traffic.
import type { Middleware } from 'koa';
import { requestOrigin } from '../../net/request-origin.js';
import type { RateLimits } from '../../security/rate-limits.js';

export const TOKEN_PATH = '/token';

export function limitTokenRequests(limits: RateLimits): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === TOKEN_PATH) {
      const ip = requestOrigin(ctx).ip ?? 'unknown';
      const userAgent = ctx.get('user-agent');
      await limits.consume('token_ip', ip, { ip, ...(userAgent ? { userAgent } : {}) });
    }
    await next();
  };
}
