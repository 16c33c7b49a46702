/**
 * startEmbeddedStore: the MongoDB-wire-compatible development store. Loads the data directory
 * (if any), listens on TCP, runs the TTL monitor on an unref'd timer and closes cleanly.
 * See README.md in this folder for the supported subset and the durability model.
 */
import type { Logger } from './commands/context.js';
import { advertiseAddress } from './address.js';
import { Catalog } from './catalog.js';
import type { CollectionEnv } from './collection.js';
import { Cursors } from './cursors.js';
import { DISCARD } from './entries.js';
import { openDataDir, type DataDir } from './persistence.js';
import { WireServer } from './server.js';
import { startTtlMonitor } from './ttl.js';

export interface EmbeddedStoreOptions {
  host?: string;
  port?: number;
  dataDir?: string;
  now?: () => number;
  /** How often the TTL monitor deletes expired documents (mongod: 60 s). */
  ttlSweepIntervalMs?: number;
  /** False stops the TTL monitor: expired documents stay until `sweepExpired()` (tests). */
  ttlMonitor?: boolean;
  /** The journal size (entries) past which compaction may start; default 10 000 (tests set it low). */
  compactAfterEntries?: number;
  /** Warn (at start, then at most once an hour) while more documents than this are stored. */
  warnAboveDocuments?: number;
  logger?: Logger;
  /** Told each command's name, how long it held the event loop and the CPU it used (ms): benchmarks count and time commands with it. */
  onCommand?: (name: string, syncMs: number, cpuMs: number) => void;
}

export interface EmbeddedStore {
  readonly uri: string;
  readonly port: number;
  uriFor(dbName: string): string;
  /** One full TTL monitor pass now, at the store's clock; returns how many documents it deleted. */
  sweepExpired(): number;
  /** Documents stored, across every collection. */
  documentCount(): number;
  close(): Promise<void>;
}

const consoleLogger: Logger = {
  // stderr, so a parent reading stdout (the CLI's READY line) sees nothing else.
  info: (msg) => console.error(`[store] ${msg}`),
  warn: (msg) => console.error(`[store] warning: ${msg}`),
  error: (msg) => console.error(`[store] ERROR: ${msg}`),
};

export { readAdvertisedAddress } from './address.js';

export async function startEmbeddedStore(options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? consoleLogger;
  const now = options.now ?? Date.now;
  const env: CollectionEnv = { journal: DISCARD, now };
  const catalog = new Catalog(env);
  const cursors = new Cursors();
  const dataDir: DataDir | undefined = options.dataDir
    ? await openDataDir(options.dataDir, catalog, env, logger, options.compactAfterEntries)
    : undefined;

  const server = new WireServer({ catalog, cursors, now, logger, durability: dataDir?.journal, onCommand: options.onCommand });
  let port: number;
  try {
    port = await server.listen(host, options.port ?? 0);
  } catch (err) {
    await dataDir?.close();
    throw err;
  }
  const sweepExpired = () => catalog.sweepExpired(now());
  const documentCount = () => catalog.all().reduce((sum, coll) => sum + coll.docs.size, 0);
  let lastSizeWarning = -Infinity;
  const checkSize = () => {
    const limit = options.warnAboveDocuments;
    if (limit === undefined || Date.now() - lastSizeWarning < 3_600_000) return;
    const count = documentCount();
    if (count <= limit) return;
    lastSizeWarning = Date.now();
    // Numbers as the README writes them ("300,000"), so an operator can search for the limit.
    logger.warn(`${count.toLocaleString('en-US')} documents stored, above the ${limit.toLocaleString('en-US')} the embedded store is sized for: ` +
      'expect longer start-ups and pauses; move to MongoDB (set MONGODB_URI, see README "The embedded store")');
  };
  checkSize();
  const stopMonitor = startTtlMonitor({
    intervalMs: options.ttlSweepIntervalMs ?? 60_000,
    sweeping: options.ttlMonitor !== false,
    sweep: (limit) => catalog.sweepExpired(now(), limit),
    reapCursors: () => {
      cursors.reap();
      checkSize();
    },
    logger,
  });

  const hostPart = host.includes(':') ? `[${host}]` : host;
  const uriFor = (dbName: string) => `mongodb://${hostPart}:${port}/${encodeURIComponent(dbName)}?directConnection=true`;
  const baseUri = `mongodb://${hostPart}:${port}/?directConnection=true`;
  const withdrawAddress = options.dataDir ? advertiseAddress(options.dataDir, baseUri) : () => {};
  let closing: Promise<void> | undefined;
  logger.info(`listening on ${hostPart}:${port}${options.dataDir ? ` with data in ${options.dataDir}` : ' (memory only)'}`);

  return {
    uri: baseUri,
    port,
    uriFor,
    sweepExpired,
    documentCount,
    close() {
      closing ??= (async () => {
        stopMonitor();
        withdrawAddress();
        await server.close();
        await dataDir?.close();
      })();
      return closing;
    },
  };
}
