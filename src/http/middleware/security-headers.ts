// Security headers on every response, ours and the provider's (pages, errors, JSON, redirects):
// the strict Content-Security-Policy, no framing, no sniffing, no referrer, and HSTS when the
// provider is reached over TLS (directly, or behind a TLS-terminating proxy: an https issuer).
//
// They are set BEFORE the rest of the app runs: oidc-provider's form_post page reads the policy
// and appends the sha256 of its one inline script (the auto-submit) to `script-src`. That leaves
// `script-src 'none' 'sha256-…'`, where browsers ignore 'none' with a console warning, so the
// lone 'none' is dropped afterwards: that page allows exactly its own script, every other page none.
import type { TLSSocket } from 'node:tls';
import type { Middleware } from 'koa';
import { SECURITY_HEADERS } from '../render.js';

export const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders({ httpsIssuer }: { httpsIssuer: boolean }): Middleware {
  return async (ctx, next) => {
    ctx.set(SECURITY_HEADERS);
    if (httpsIssuer || (ctx.req.socket as TLSSocket).encrypted) ctx.set('strict-transport-security', HSTS);
    await next();
    const policy = ctx.response.get('content-security-policy');
    if (policy) ctx.set('content-security-policy', withoutNoneBesideHashes(policy));
  };
}

/** `script-src 'none' 'sha256-x'` → `script-src 'sha256-x'`; every other directive unchanged. */
export function withoutNoneBesideHashes(policy: string): string {
  return policy
    .split(';')
    .map((directive) => directive.trim())
    .filter(Boolean)
    .map((directive) => {
      const [name = '', ...sources] = directive.split(/\s+/);
      if (sources.length < 2 || !sources.includes("'none'")) return directive;
      return [name, ...sources.filter((source) => source !== "'none'")].join(' ');
    })
    .join('; ');
}
