// The one place errors become responses: a friendly page for browsers, `{ error,
// error_description }` for APIs, never a stack trace. Server errors are logged without detail
// that could hold secrets (messages only, no request bodies). The provider's API endpoints always
// get JSON, whatever they Accept. A rate-limited request (429) carries Retry-After; its JSON error
// code is `rate_limited` (OAuth's `slow_down` means "poll the device flow slower", which a client
// of another grant would misread; the status and header carry the meaning).
import type { Context, Middleware } from 'koa';
import { NotFoundError, RateLimitedError, STORE_RETRY_AFTER_SECONDS, StoreUnavailableError, toAppError } from '../../errors.js';
import type { Logger } from '../../observability/logger.js';
import { loggablePath } from '../../observability/requests.js';
import { errorPage } from '../error-pages.js';
import { errorTitle, userMessageOf } from '../../i18n/errors.js';
import { renderPage } from '../page.js';
import type { Render } from '../render.js';

export function errorHandler(render: Render, logger: Pick<Logger, 'error'>): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError(`no route for ${ctx.method} ${ctx.path}`);
    } catch (err) {
      const error = toAppError(err);
      if (error.status >= 500) logger.error(`[http] ${ctx.method} ${loggablePath(ctx.path)} failed: ${error.name}: ${error.message}`);
      ctx.status = error.status;
      if (error instanceof RateLimitedError) ctx.set('Retry-After', String(error.retryAfterSeconds));
      if (error instanceof StoreUnavailableError) ctx.set('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
      const code = error.expose ? error.code : 'server_error';
      if (wantsJson(ctx)) {
        ctx.body = { error: code, error_description: error.userMessage };
        return;
      }
      renderPage(ctx, render, 'error', errorPage(code, { title: errorTitle(error.status), message: userMessageOf(error, code) }));
    }
  };
}

/** The provider's endpoints that machines call: token, introspection, revocation, userinfo, JWKS. */
const API_PATHS = /^\/(token(\/introspection|\/revocation)?|me|jwks|reg(\/.*)?)$/;

function wantsJson(ctx: Context): boolean {
  return API_PATHS.test(ctx.path) || ctx.accepts('html', 'json') === 'json';
}
