// Opens the store: MONGODB_URI when configured, otherwise the embedded MongoDB-compatible store
// under DATA_DIR (development, or production with EMBEDDED_STORE=true; the config enforces this).
import mongoose, { type Connection } from 'mongoose';
import type { Config } from '../config/index.js';
import { ConfigError } from '../errors.js';
import { createModels, ensureIndexes, type Models } from './models/index.js';

export const DATABASE_NAME = 'ehr_idp';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export interface Store {
  connection: Connection;
  models: Models;
  close(): Promise<void>;
}

export async function connectStore(config: Config, logger: Logger = console): Promise<Store> {
  if (config.store.mongodbUri) {
    const connection = await openConnection(config.store.mongodbUri);
    return bind(connection, async () => {});
  }
  if (config.production && !config.store.embedded) {
    throw new ConfigError(['MONGODB_URI: is required in production (or set EMBEDDED_STORE=true explicitly)']);
  }
  // Loaded only when used, so a MongoDB deployment never starts the embedded server.
  const { startEmbeddedStore } = await import('./embedded/index.js');
  const embedded = await startEmbeddedStore({ dataDir: config.store.dataDir, port: 0, logger });
  try {
    const connection = await openConnection(embedded.uriFor(DATABASE_NAME));
    return bind(connection, () => embedded.close());
  } catch (err) {
    await embedded.close();
    throw err;
  }
}

/** A connection of its own (not the global mongoose one), ready with indexes built. */
export async function openConnection(uri: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, autoIndex: false });
  await connection.asPromise();
  return connection;
}

async function bind(connection: Connection, closeBackend: () => Promise<void>): Promise<Store> {
  const models = createModels(connection);
  await ensureIndexes(models);
  let closing: Promise<void> | undefined;
  return {
    connection,
    models,
    close: () => (closing ??= connection.close().then(closeBackend)),
  };
}
