/**
 * An embedded store that can go away and come back: stop() closes it (every open connection drops,
 * new ones are refused), restart() starts a new one on the same port over the same data directory,
 * so the provider's existing connection finds it again and every acknowledged write is still there.
 * Drop-in for startServer({ store }). The URI asks for a short server selection time, so a request
 * during an outage fails in about a second instead of the production default of five.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedStore, type EmbeddedStore } from '../../../src/store/embedded/index.js';
import { FakeClock } from '../../helpers/clock.js';
import type { StoreUnderTest } from '../../helpers/store.js';

export const OUTAGE_SELECTION_MS = 1000;

export interface OutageStore extends StoreUnderTest {
  stop(): Promise<void>;
  restart(): Promise<void>;
}

const quiet = { info() {}, warn() {} };

export async function outageStore(): Promise<OutageStore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'faults-store-'));
  const clock = new FakeClock();
  const dbName = 'faults';
  const start = (port = 0) => startEmbeddedStore({ dataDir, port, now: clock.now, logger: quiet });
  let embedded: EmbeddedStore | null = await start();
  const port = embedded.port;
  const uri = `${embedded.uriFor(dbName)}&serverSelectionTimeoutMS=${OUTAGE_SELECTION_MS}`;
  let closing: Promise<void> | undefined;

  return {
    uri,
    dbName,
    clock,
    get embedded() {
      return embedded;
    },
    async stop() {
      await embedded?.close();
      embedded = null;
    },
    async restart() {
      if (embedded) throw new Error('the store is running');
      embedded = await start(port);
    },
    close: () => (closing ??= (async () => {
      await embedded?.close();
      await rm(dataDir, { recursive: true, force: true });
    })()),
  };
}
