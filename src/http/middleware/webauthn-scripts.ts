// The only two scripts we serve, for the passkey pages alone: @simplewebauthn/browser's UMD bundle
// (from node_modules, never a CDN) and our few lines that run the ceremony and post its answer in an
// ordinary form (views/scripts/passkey.js). Read once at start. A page that uses them sends a
// Content-Security-Policy whose script-src is a fresh nonce carried by exactly these two tags;
// every other page keeps script-src 'none'.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Context, Middleware } from 'koa';
import { CONTENT_SECURITY_POLICY } from '../render.js';

const require = createRequire(import.meta.url);
// The package exports only its ES entry; the UMD bundle sits beside it in the installed package.
const PACKAGE = '@simplewebauthn/browser';
const entry = require.resolve(PACKAGE);
const packageDir = entry.slice(0, entry.lastIndexOf(`${PACKAGE}/`) + PACKAGE.length);
const FILES = new Map<string, Buffer>([
  ['/static/webauthn/browser.js', readFileSync(`${packageDir}/dist/bundle/index.umd.min.js`)],
  ['/static/webauthn/passkey.js', readFileSync(fileURLToPath(new URL('../../../views/scripts/passkey.js', import.meta.url)))],
]);

export function webauthnScripts(): Middleware {
  return async (ctx, next) => {
    const body = ctx.method === 'GET' || ctx.method === 'HEAD' ? FILES.get(ctx.path) : undefined;
    if (!body) return next();
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('cache-control', 'public, max-age=3600');
    ctx.body = body;
  };
}

/** A fresh nonce for one response's two script tags. */
export const scriptNonce = (): string => randomBytes(18).toString('base64');

/** After the page is rendered: the policy allowing exactly the tags carrying `nonce`. */
export function allowScripts(ctx: Context, nonce: string): void {
  ctx.set('content-security-policy', CONTENT_SECURITY_POLICY.replace("script-src 'none'", `script-src 'nonce-${nonce}'`));
}

/** Options as JSON for a `<script type="application/json">` data block: `<` escaped so no text can end the block. */
export function jsonForPage(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
