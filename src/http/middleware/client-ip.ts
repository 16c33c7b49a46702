// The client's IP for risk rules and the audit log, in canonical form (src/net/ip.ts). Behind
// configured proxies, X-Forwarded-For is read from the right: each trusted proxy appended the
// address it saw, so the first address that is not a trusted proxy is the client. Anything to its
// left was written by the client and is ignored. Set on ctx.state.clientIp for every request.
import type { BlockList } from 'node:net';
import type { Middleware } from 'koa';
import { normalizeIp } from '../../net/ip.js';
import { buildProxyList, isTrustedProxy } from './trusted-proxy.js';

declare module 'koa' {
  interface DefaultState {
    /** The client's IP (trusted proxies honoured): read it with requestOrigin(ctx) (src/net/request-origin.ts). */
    clientIp?: string;
  }
}

export function clientIp(entries: readonly string[]): Middleware {
  const list = entries.length > 0 ? buildProxyList(entries) : undefined;
  return async (ctx, next) => {
    ctx.state.clientIp = resolveClientIp(list, ctx.req.socket.remoteAddress, ctx.get('x-forwarded-for'));
    await next();
  };
}

export function resolveClientIp(proxies: BlockList | undefined, remoteAddress: string | undefined, forwardedFor: string): string | undefined {
  const remote = remoteAddress ? normalizeIp(remoteAddress) : undefined;
  if (!proxies || !remote || !isTrustedProxy(proxies, remote)) return remote;
  const hops = forwardedFor.split(',').map((hop) => hop.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]!);
    if (!hop) return remote; // a garbled header: trust only what we saw
    if (!isTrustedProxy(proxies, hop)) return hop;
  }
  return remote;
}
