// Trusts X-Forwarded-* only when the connection comes from a configured proxy. Koa reads
// `request.app.proxy`, so each request gets its own view of the app with `proxy` set for it
// alone (setting it on the shared app would leak between concurrent requests).
import { BlockList, isIPv4 } from 'node:net';
import type { Middleware } from 'koa';

export function buildProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

export function isTrustedProxy(list: BlockList, remoteAddress: string | undefined): boolean {
  if (!remoteAddress) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress)?.[1];
  if (mapped) return list.check(mapped, 'ipv4');
  return list.check(remoteAddress, isIPv4(remoteAddress) ? 'ipv4' : 'ipv6');
}

export function trustedProxies(entries: readonly string[]): Middleware {
  const list = buildProxyList(entries);
  return async (ctx, next) => {
    const proxy = entries.length > 0 && isTrustedProxy(list, ctx.req.socket.remoteAddress);
    ctx.request.app = Object.create(ctx.app, { proxy: { value: proxy } });
    await next();
  };
}
