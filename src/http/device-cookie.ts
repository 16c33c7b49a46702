// The device cookie: a random id in a long-lived, signed, HttpOnly cookie that tells one browser
// from another. It is set when a second factor succeeds; the browser becomes a known device of that
// user only then (src/mfa/known-devices.ts).
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';

export const DEVICE_COOKIE = 'idp.device';
/** Browsers cap cookie lifetimes at 400 days. */
const MAX_AGE_MS = 400 * 24 * 3_600_000;
const SHAPE = /^[A-Za-z0-9_-]{43}$/;

type CookieContext = Pick<Context, 'cookies'>;

export function readDeviceId(ctx: CookieContext): string | undefined {
  const value = ctx.cookies.get(DEVICE_COOKIE, { signed: true });
  return value && SHAPE.test(value) ? value : undefined;
}

/** The browser's device id, creating (and setting) one when it has none. */
export function ensureDeviceId(ctx: CookieContext, secure: boolean): string {
  const existing = readDeviceId(ctx);
  if (existing) return existing;
  const id = randomBytes(32).toString('base64url');
  ctx.cookies.set(DEVICE_COOKIE, id, { signed: true, httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: MAX_AGE_MS, overwrite: true });
  return id;
}
