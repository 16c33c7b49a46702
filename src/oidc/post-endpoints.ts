// OIDC Core §3.1.2.1 and RP-Initiated Logout §2: the authorization and end-session endpoints take
// GET **and** POST. oidc-provider's own POST support (`enableHttpPostMethods`) needs every session
// cookie set SameSite=None, since a cross-site form POST carries no Lax cookie; we keep Lax and
// answer a form POST with a 303 to the same endpoint with the same parameters as a query. The
// browser follows it as a top-level GET, which does carry Lax cookies, so SSO still recognises the
// session. The Location is built from ISSUER, never from the request's Host.
import type { Middleware } from 'koa';
import { appError } from '../errors.js';

/** oidc-provider's default routes for the two endpoints. */
export const POST_ENDPOINTS = ['/auth', '/session/end'] as const;
/** The provider reads at most this much of a body itself (src/security/body-limit.ts caps it too). */
const MAX_FORM_BYTES = 56 * 1024;

export function postEndpointsAsGet(issuer: string): Middleware {
  const base = new URL(issuer);
  const prefix = base.pathname.replace(/\/$/, '');
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || !(POST_ENDPOINTS as readonly string[]).includes(ctx.path) || !ctx.is('application/x-www-form-urlencoded')) {
      return next();
    }
    const form = new URLSearchParams(await readBody(ctx.req, MAX_FORM_BYTES));
    const target = new URL(`${prefix}${ctx.path}`, base);
    target.search = form.toString();
    ctx.status = 303;
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(target.href);
  };
}

async function readBody(stream: AsyncIterable<Buffer | string>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limit) throw appError('request_too_large', { detail: `form body over ${limit} bytes` });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
