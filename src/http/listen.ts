// The listening socket: plain HTTP (behind a TLS-terminating proxy), or HTTPS directly when
// TLS_CERT_FILE/TLS_KEY_FILE are configured: TLS 1.2 at least, 1.3 preferred (Node negotiates
// the highest both sides support). `close` drains: no new connections, in-flight requests finish,
// idle keep-alive connections are closed, and whatever is still open after the grace is cut.
import { readFileSync } from 'node:fs';
import { createServer as createPlainServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/index.js';

export interface RunningServer {
  server: Server;
  port: number;
  protocol: 'http' | 'https';
  /** Resolves once every connection is closed; after `graceMs` open ones are cut. */
  close(graceMs?: number): Promise<void>;
}

export function createHttpServer(config: Pick<Config, 'tls'>, handler: RequestListener): Server {
  if (!config.tls) return createPlainServer(handler);
  return createTlsServer({
    cert: readFileSync(config.tls.certFile),
    key: readFileSync(config.tls.keyFile),
    minVersion: 'TLSv1.2',
  }, handler);
}

/** Listens on `config.port` (0: any free port) on every interface, or on `host`. */
export async function startHttpServer(config: Pick<Config, 'tls' | 'port'>, handler: RequestListener, host?: string): Promise<RunningServer> {
  const server = createHttpServer(config, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    server,
    port: (server.address() as AddressInfo).port,
    protocol: config.tls ? 'https' : 'http',
    close: (graceMs = 10_000) => (closing ??= drain(server, graceMs)),
  };
}

function drain(server: Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    // A keep-alive connection becomes idle when its request is answered: close it then.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    sweep.unref();
    force.unref();
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
