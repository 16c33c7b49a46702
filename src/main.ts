// Start-up: load config → connect store → build app (keys ensured) → listen → graceful shutdown.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { describeConfig, loadConfig, type Config } from './config/index.js';
import { ConfigError } from './errors.js';
import { startDemo } from './demo/start.js';
import { createApp } from './http/app.js';
import { connectStore } from './store/connection.js';

const KEY_REFRESH_INTERVAL_MS = 60_000;
const SHUTDOWN_GRACE_MS = 10_000;

const logger = {
  info: (message: string) => console.log(`[idp] ${message}`),
  warn: (message: string) => console.warn(`[idp] warning: ${message}`),
  error: (message: string) => console.error(`[idp] error: ${message}`),
};

async function main(): Promise<void> {
  const config = loadConfig();
  logger.info(`configuration: ${JSON.stringify(describeConfig(config))}`);
  const store = await connectStore(config, logger);
  const idp = await createApp({ config, connection: store.connection, logger });

  const server = createServer(config, idp.app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(`listening on ${config.tls ? 'https' : 'http'}://localhost:${port} (issuer ${config.issuer})`);
  const demo = config.demo ? await startDemo(config, idp, logger) : undefined;

  // Picks up keys rotated by the operator CLI and drops retired ones, without a restart.
  const keyTimer = setInterval(() => {
    idp.refreshSigningKeys().catch((err: Error) => logger.error(`signing key refresh failed: ${err.message}`));
  }, KEY_REFRESH_INTERVAL_MS);
  keyTimer.unref();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, shutting down`);
    clearInterval(keyTimer);
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    force.unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await demo?.close();
    await store.close();
    logger.info('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).then(() => process.exit(0), (err: Error) => {
        logger.error(`shutdown failed: ${err.message}`);
        process.exit(1);
      });
    });
  }
}

function createServer(config: Config, handler: Parameters<typeof createHttpServer>[1]): Server {
  if (!config.tls) return createHttpServer(handler);
  return createHttpsServer({ cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) }, handler);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error(`[idp] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.exit(1);
});
