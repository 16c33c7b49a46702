// CSRF protection for every form we own: a synchronizer token bound to a random secret kept in a
// signed HttpOnly cookie. Each rendered form gets a fresh token `salt.HMAC(secret, salt)` (fresh
// per response, so the secret never appears in a page); a POST must present one that matches the
// cookie's secret, compared in constant time.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { CsrfError } from '../../errors.js';
import { formField } from './form-body.js';

declare module 'koa' {
  interface DefaultState {
    /** A fresh CSRF token for a form on the page being rendered. */
    csrfToken?: () => string;
  }
}

export const CSRF_COOKIE = 'idp.csrf';
export const CSRF_FIELD = '_csrf';

export interface CsrfOptions {
  secure: boolean;
}

export function csrfProtection({ secure }: CsrfOptions): Middleware {
  const cookieOptions = { signed: true, httpOnly: true, sameSite: 'lax' as const, secure, path: '/', overwrite: true };

  const secretOf = (ctx: Context): string | undefined => {
    const value = ctx.cookies.get(CSRF_COOKIE, { signed: true });
    return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
  };

  return async (ctx, next) => {
    if (ctx.method === 'POST') {
      const secret = secretOf(ctx);
      if (!secret || !tokenMatches(secret, formField(ctx.state, CSRF_FIELD))) throw new CsrfError();
    }
    ctx.state.csrfToken = () => {
      let secret = secretOf(ctx);
      if (!secret) {
        secret = randomBytes(32).toString('base64url');
        ctx.cookies.set(CSRF_COOKIE, secret, cookieOptions);
      }
      const salt = randomBytes(16).toString('base64url');
      return `${salt}.${mac(secret, salt)}`;
    };
    await next();
  };
}

function mac(secret: string, salt: string): string {
  return createHmac('sha256', secret).update(salt).digest('base64url');
}

function tokenMatches(secret: string, token: string): boolean {
  const [salt, given, extra] = token.split('.');
  if (!salt || !given || extra !== undefined) return false;
  const expected = Buffer.from(mac(secret, salt));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
