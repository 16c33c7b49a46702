// What a CLI command works with: the configuration, the store and the core services, built by the
// composition root (src/app/cli-context.ts) and handed to runCli. The store is the provider's:
// MONGODB_URI, or the embedded store in DATA_DIR. When a running provider holds
// that directory's lock, its embedded store publishes its address in <DATA_DIR>/store.uri and the
// CLI connects there instead (src/store/embedded/address.ts), so operators need not stop the provider.
import type { AccountService } from '../accounts/service.js';
import type { PasswordHasher } from '../accounts/password.js';
import type { OperatorCommandDeps } from '../commands/index.js';
import type { Config } from '../config/index.js';
import { type AppError, appError } from '../errors.js';
import { connectStore, DATABASE_NAME, openConnection, type Logger } from '../store/connection.js';
import { ADDRESS_FILE, readAdvertisedAddress } from '../store/embedded/address.js';
import { runStartupMigrations } from '../store/migrations/index.js';
import { createModels, ensureIndexes, type Models } from '../store/models/index.js';

export interface CliContext {
  config: Config;
  models: Models;
  hasher: PasswordHasher;
  accounts: AccountService;
  /** The narrow deps of src/commands/, built by the composition root on first use (most commands only read). */
  deps(): Promise<OperatorCommandDeps>;
}

export interface OpenedContext {
  context: CliContext;
  close(): Promise<void>;
}

/** Opens the store and builds the context for one command (src/app/cli-context.ts). */
export type OpenCliContext = (env: NodeJS.ProcessEnv, logger: Logger) => Promise<OpenedContext>;

/** The provider's store, or the address a running provider's embedded store publishes. */
export async function openCliStore(config: Config, logger: Logger): Promise<{ models: Models; close(): Promise<void> }> {
  try {
    return await connectStore(config, logger);
  } catch (err) {
    if (config.store.mongodbUri || !/is in use by process/.test((err as Error).message)) throw err;
    const uri = readAdvertisedAddress(config.store.dataDir);
    if (!uri) throw storeBusy((err as Error).message);
    const connection = await openConnection(withDefaultDatabase(uri, DATABASE_NAME));
    const models = createModels(connection);
    await ensureIndexes(models);
    // As connectStore does on the other paths: no command ever sees a user without memberships
    // (one query each when there is nothing to migrate, docs/memberships.md).
    await runStartupMigrations(models);
    return { models, close: () => connection.close() };
  }
}

function storeBusy(lockMessage: string): AppError {
  return appError('store_busy', {
    detail: `${lockMessage} and it publishes no ${ADDRESS_FILE}`,
    message: `${lockMessage}, which publishes no address in ${ADDRESS_FILE}; stop it or set MONGODB_URI`,
  });
}

/** The embedded store may publish its base address (no database in the path): name ours. */
function withDefaultDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb:\/\/[^/?]+)(?:\/([^?]*))?(\?.*)?$/.exec(uri);
  if (!match) return uri;
  const [, base = '', db = '', query = ''] = match;
  return db ? uri : `${base}/${dbName}${query}`;
}
