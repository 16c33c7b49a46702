// Opens the store: MONGODB_URI when configured, otherwise the embedded MongoDB-compatible store
// under DATA_DIR (development, or production with EMBEDDED_STORE=true; the config enforces this).
import mongoose, { type Connection } from 'mongoose';
import type { Config } from '../config/index.js';
import { ConfigError } from '../errors.js';
import type { Logger as AppLogger } from '../observability/logger.js';
import { createModels, ensureIndexes, type Models } from './models/index.js';
import { runStartupMigrations } from './migrations/index.js';

export const DATABASE_NAME = 'ehr_idp';

/**
 * The size past which production needs MongoDB: 100 000 users with a live session each (users,
 * provider records, session activity: 300 000 documents), the size bench/scale.ts measures
 * (bench/results/scale-100k.json; README "The embedded store"). Start-up and garbage-collection
 * pauses grow with it. Above it, EMBEDDED_STORE production use logs a warning naming it.
 */
export const EMBEDDED_STORE_MAX_DOCUMENTS = 300_000;

/** The app's logger (src/observability/logger.ts): the store reports through it. */
export type Logger = Pick<AppLogger, 'info' | 'warn' | 'error'>;

export interface Store {
  connection: Connection;
  models: Models;
  close(): Promise<void>;
}

export async function connectStore(config: Config, logger: Logger): Promise<Store> {
  if (config.store.mongodbUri) {
    const connection = await openConnection(config.store.mongodbUri);
    return bind(connection, async () => {});
  }
  if (config.production && !config.store.embedded) {
    throw new ConfigError(['MONGODB_URI: is required in production (or set EMBEDDED_STORE=true explicitly)']);
  }
  // Loaded only when used, so a MongoDB deployment never starts the embedded server.
  const { startEmbeddedStore } = await import('./embedded/index.js');
  const embedded = await startEmbeddedStore({
    dataDir: config.store.dataDir, port: 0, logger,
    ...(config.production ? { warnAboveDocuments: EMBEDDED_STORE_MAX_DOCUMENTS } : {}),
  });
  try {
    const connection = await openConnection(embedded.uriFor(DATABASE_NAME));
    return bind(connection, () => embedded.close());
  } catch (err) {
    await embedded.close();
    throw err;
  }
}

/**
 * How long a request waits for an unreachable store before it fails with a 503 "try again" (see
 * StoreUnavailableError): finding a server (after a failover, or while it restarts), opening a
 * connection, and a reply on an open one (a network partition sends no reset, so without this limit a
 * request would hang). Each is overridden by the same option in MONGODB_URI, e.g.
 * `?serverSelectionTimeoutMS=10000`.
 */
export const STORE_TIMEOUTS = { serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000, socketTimeoutMS: 15_000 } as const;

/** A connection of its own (not the global mongoose one), ready with indexes built. */
export async function openConnection(uri: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, { ...timeoutsNotIn(uri), autoIndex: false });
  await connection.asPromise();
  return connection;
}

/** STORE_TIMEOUTS except those the URI names itself (URI option names are case-insensitive). */
export function timeoutsNotIn(uri: string): Partial<typeof STORE_TIMEOUTS> {
  const query = uri.includes('?') ? uri.slice(uri.indexOf('?') + 1) : '';
  const named = new Set([...new URLSearchParams(query).keys()].map((key) => key.toLowerCase()));
  return Object.fromEntries(Object.entries(STORE_TIMEOUTS).filter(([key]) => !named.has(key.toLowerCase())));
}

async function bind(connection: Connection, closeBackend: () => Promise<void>): Promise<Store> {
  const models = createModels(connection);
  await ensureIndexes(models);
  // Memberships, known devices' practices (src/store/migrations/: idempotent; one query each once done).
  await runStartupMigrations(models);
  let closing: Promise<void> | undefined;
  return {
    connection,
    models,
    close: () => (closing ??= connection.close().then(closeBackend)),
  };
}
