/**
 * The database every test uses: a real MongoDB when MONGODB_URI is set (a fresh database, dropped on
 * close), otherwise an in-memory embedded store on a random port driven by a FakeClock, with its TTL
 * monitor stopped: an expired document stays until a test calls `embedded.sweepExpired()`, so every
 * flow is tested checking expiry itself, as it must on MongoDB (whose monitor runs only every 60 s).
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { EmbeddedStore } from '../../src/store/embedded/index.js';
import { FakeClock } from './clock.js';

export interface StoreUnderTest {
  uri: string;
  dbName: string;
  /** Controls TTL time on the embedded store; null on a real MongoDB (real time applies). */
  clock: FakeClock | null;
  embedded: EmbeddedStore | null;
  close(): Promise<void>;
}

export async function storeUnderTest(): Promise<StoreUnderTest> {
  const dbName = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const external = process.env.MONGODB_URI;
  if (external) {
    const uri = withDatabase(external, dbName);
    return { uri, dbName, clock: null, embedded: null, close: once(() => dropDatabase(uri)) };
  }
  // Loaded lazily so a real-MongoDB run does not depend on the embedded store's code.
  const { startEmbeddedStore } = await import('../../src/store/embedded/index.js');
  const clock = new FakeClock();
  const embedded = await startEmbeddedStore({ now: clock.now, logger: quietLogger, ttlMonitor: false });
  return { uri: embedded.uriFor(dbName), dbName, clock, embedded, close: once(() => embedded.close()) };
}

/** Silent: tests provoke refusals on purpose. STORE_LOG=1 shows the store's log when debugging. */
const quietLogger = {
  info: (msg: string): void => void (process.env.STORE_LOG && console.error(`[store] ${msg}`)),
  warn: (msg: string): void => void (process.env.STORE_LOG && console.error(`[store] warning: ${msg}`)),
};

/**
 * Replaces the URI's database path. The old path was the default authSource, so it is kept as
 * authSource when the URI has credentials and names none.
 */
export function withDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/)([^/?]+)(?:\/([^?]*))?(?:\?(.*))?$/.exec(uri);
  if (!match) throw new Error('MONGODB_URI is not a mongodb:// or mongodb+srv:// URI');
  const [, scheme, hosts = '', oldDb = '', query = ''] = match;
  const params = new URLSearchParams(query);
  if (hosts.includes('@') && !params.has('authSource')) params.set('authSource', oldDb || 'admin');
  const search = params.toString();
  return `${scheme}${hosts}/${dbName}${search ? `?${search}` : ''}`;
}

async function dropDatabase(uri: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
