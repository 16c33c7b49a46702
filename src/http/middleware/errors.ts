// The one place errors become responses: a friendly page for browsers, `{ error,
// error_description }` for APIs, never a stack trace. Server errors are logged without detail
// that could hold secrets (messages only, no request bodies).
import type { Middleware } from 'koa';
import { NotFoundError, toAppError } from '../../errors.js';
import { PAGE_HEADERS, type Render } from '../render.js';

export interface ErrorLogger {
  error(message: string): void;
}

export function errorHandler(render: Render, logger: ErrorLogger = console): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError(`no route for ${ctx.method} ${ctx.path}`);
    } catch (err) {
      const error = toAppError(err);
      if (error.status >= 500) logger.error(`[http] ${ctx.method} ${ctx.path} failed: ${error.name}: ${error.message}`);
      ctx.status = error.status;
      const code = error.expose ? error.code : 'server_error';
      if (ctx.accepts('html', 'json') === 'json') {
        ctx.body = { error: code, error_description: error.userMessage };
        return;
      }
      ctx.set(PAGE_HEADERS);
      ctx.type = 'html';
      ctx.body = render('error', { title: error.status >= 500 ? 'Something went wrong' : 'We could not do that', message: error.userMessage, code });
    }
  };
}
