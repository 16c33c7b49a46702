/**
 * The few HTTP chores the demo module needs, kept beside it instead of adding middleware packages.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'koa';

/** An error whose message is written for the person in front of the browser. */
export class DemoError extends Error {
  override readonly name = 'DemoError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const FORM_LIMIT_BYTES = 16 * 1024;

/** Reads an application/x-www-form-urlencoded body of at most 16 KiB. */
export async function readForm(ctx: Context): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new DemoError(400, 'Expected a form submission.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT_BYTES) throw new DemoError(413, 'The form is too large.');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Headers every answer carries: nothing cached, nothing framed, no referrer leaking codes or state. */
export function securityHeaders(ctx: Context, issuerOrigin: string, ...formTargets: string[]): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'no-referrer');
  // form-action must allow the provider: browsers apply it to the redirect after "Sign out everywhere"
  // (and, for the charting module, the SMART app its launch form redirects to: formTargets).
  ctx.set(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'unsafe-inline'; form-action ${['\'self\'', issuerOrigin, ...formTargets].join(' ')}; frame-ancestors 'none'; base-uri 'none'`,
  );
}

/** The public host name for a listening address (wildcard binds are reached as localhost). */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** An HTTP server listening on host:port (0 = a free port), its public URL, and a close that ends open connections. */
export async function listenHttp(o: { port: number; host?: string; publicUrl?: string }): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const host = o.host ?? '127.0.0.1';
  const server = createServer();
  server.listen(o.port, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: (o.publicUrl ?? `http://${urlHost(host)}:${port}`).replace(/\/+$/, ''),
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
