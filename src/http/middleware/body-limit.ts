// Refuses request bodies declared larger than the limit before anything reads them: 413 with a
// clear message (JSON on API paths, see the error middleware). oidc-provider reads at most 56 KiB
// itself and answers 400 beyond that; this turns every declared oversize body into an honest 413.
// Our own forms have a tighter limit of their own (src/http/middleware/form-body.ts).
import type { Middleware } from 'koa';
import { AppError } from '../../errors.js';

export const API_BODY_LIMIT_BYTES = 56 * 1024;

export function limitBodySize(maxBytes = API_BODY_LIMIT_BYTES): Middleware {
  return async (ctx, next) => {
    const declared = Number(ctx.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      throw new AppError(`request body of ${declared} bytes over ${maxBytes}`, { status: 413, code: 'invalid_request', userMessage: 'The request is too large.' });
    }
    await next();
  };
}
