// Where a request came from, for audit entries, notices, limits and risk: the client IP that the
// client-ip middleware resolved (X-Forwarded-For honoured only from configured proxies, see
// src/http/middleware/client-ip.ts) and the user agent. The one helper every surface uses, so no
// page reads a forwarded header, or the socket, on its own.
export interface RequestOrigin {
  ip?: string;
  userAgent?: string;
}

/** The part of a Koa context this reads (the client-ip middleware sets state.clientIp). */
export interface OriginSource {
  state: { clientIp?: string };
  get(field: string): string;
}

export function requestOrigin(ctx: OriginSource): RequestOrigin {
  const ip = ctx.state.clientIp;
  const userAgent = ctx.get('user-agent');
  return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
}
