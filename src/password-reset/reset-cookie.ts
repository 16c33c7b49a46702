// Binds a password reset to the browser that asked for it: a random token in a signed, HttpOnly,
// SameSite cookie scoped to /password-reset. The store knows the reset only by the token's hash
// (see reset-challenge.ts), so a code typed in another browser, or a leaked store, is useless.
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { safeReturnPath } from './return-path.js';

export const RESET_COOKIE = 'idp.reset';
/** Long enough for the 10-minute code and the 15 minutes to choose a password after it. */
const MAX_AGE_MS = 30 * 60_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface ResetBinding {
  /** 32 random bytes, base64url. */
  token: string;
  /** Where the success page links back to (a sign-in in progress). */
  returnPath?: string;
}

export function newResetToken(): string {
  return randomBytes(32).toString('base64url');
}

export function writeResetCookie(ctx: Context, binding: ResetBinding, secure: boolean): void {
  const value = Buffer.from(JSON.stringify([binding.token, binding.returnPath ?? ''])).toString('base64url');
  ctx.cookies.set(RESET_COOKIE, value, cookieOptions(secure, MAX_AGE_MS));
}

export function readResetCookie(ctx: Context): ResetBinding | undefined {
  const value = ctx.cookies.get(RESET_COOKIE, { signed: true });
  if (!value || value.length > 2048) return undefined;
  try {
    const [token, returnPath] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof token !== 'string' || !TOKEN.test(token)) return undefined;
    const safe = safeReturnPath(returnPath);
    return safe ? { token, returnPath: safe } : { token };
  } catch {
    return undefined;
  }
}

export function clearResetCookie(ctx: Context, secure: boolean): void {
  ctx.cookies.set(RESET_COOKIE, '', { ...cookieOptions(secure, 0), maxAge: undefined, expires: new Date(0) });
}

function cookieOptions(secure: boolean, maxAge: number) {
  return { signed: true, httpOnly: true, sameSite: 'lax' as const, secure, path: '/password-reset', overwrite: true, maxAge };
}
