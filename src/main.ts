// Start-up: load config → connect store → build app (keys ensured) → listen → graceful shutdown.
import { describeConfig, loadConfig } from './config/index.js';
import { defaultLogFormat } from './config/schema.js';
import { ConfigError } from './errors.js';
import { startDemo } from './demo/start.js';
import { createApp } from './app/create-app.js';
import { KEY_REFRESH_INTERVAL_SECONDS } from './oidc/keys.js';
import { startHttpServer } from './http/listen.js';
import { createLogger } from './observability/logger.js';
import { connectStore } from './store/connection.js';

const KEY_REFRESH_INTERVAL_MS = KEY_REFRESH_INTERVAL_SECONDS * 1000;
/** In-flight requests get this long to finish after SIGTERM/SIGINT; then connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

// Until the configuration is read (its errors are logged too), the format follows NODE_ENV alone.
const bootFormat = process.env.LOG_FORMAT;
let logger = createLogger({ format: bootFormat === 'json' || bootFormat === 'pretty' ? bootFormat : defaultLogFormat(process.env.NODE_ENV) });

async function main(): Promise<void> {
  const config = loadConfig();
  logger = createLogger({ format: config.log.format });
  logger.info('configuration', { config: describeConfig(config) });
  const store = await connectStore(config, logger);
  const idp = await createApp({ config, connection: store.connection, logger });

  const http = await startHttpServer(config, idp.app.callback());
  logger.info(`listening on ${http.protocol}://localhost:${http.port} (issuer ${config.issuer})`, { port: http.port });
  const demo = config.demo ? await startDemo(config, idp, logger) : undefined;

  // Picks up keys rotated by the operator CLI and drops retired ones, without a restart.
  const keyTimer = setInterval(() => {
    idp.refreshSigningKeys().catch((err: Error) => logger.error('signing key refresh failed', { reason: err.message }));
  }, KEY_REFRESH_INTERVAL_MS);
  keyTimer.unref();

  // Checkpoints of the audit chain's head, outside the database (docs/audit.md): now, every
  // AUDIT_CHECKPOINT_MINUTES, and at shutdown.
  const publishCheckpoint = () => idp.auditCheckpoints.publish().catch((err: Error) => logger.error('audit checkpoint failed', { reason: err.message }));
  await publishCheckpoint();
  const checkpointTimer = setInterval(() => void publishCheckpoint(), config.audit.checkpointMs);
  checkpointTimer.unref();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down: no new connections, finishing requests in flight', { signal });
    clearInterval(keyTimer);
    clearInterval(checkpointTimer);
    await http.close(SHUTDOWN_GRACE_MS);
    await demo?.close();
    await publishCheckpoint();
    await store.close();
    logger.info('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).then(() => process.exit(0), (err: Error) => {
        logger.error('shutdown failed', { reason: err.message });
        process.exit(1);
      });
    });
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) logger.error('invalid configuration: the server does not start', { issues: err.issues });
  else logger.error('failed to start', { reason: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
