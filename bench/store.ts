/**
 * Embedded store throughput through mongoose, in memory and with a data directory (journal
 * fsynced before every acknowledgement). Not a test: prints a table.
 *   npx tsx bench/store.ts [operations]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { Schema } from 'mongoose';
import { startEmbeddedStore } from '../src/store/embedded/index.js';

const OPERATIONS = Number(process.argv[2] ?? 5000);
const CONCURRENCY = 16;
const quiet = { info: () => undefined, warn: (msg: string) => console.error(`[store] ${msg}`) };

const userSchema = new Schema({
  email: { type: String, required: true, unique: true },
  name: String,
  practice: String,
  roles: [String],
});

/** Runs `op(i)` for i in [0, count) with `concurrency` in flight; returns operations per second. */
async function rate(count: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < count) await op(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Math.round(count / seconds);
}

async function measure(label: string, dataDir: string | undefined): Promise<Record<string, string | number>> {
  const store = await startEmbeddedStore({ dataDir, logger: quiet });
  const conn = await mongoose.createConnection(store.uriFor('bench')).asPromise();
  try {
    const User = conn.model('User', userSchema);
    await User.init();
    const ids: mongoose.Types.ObjectId[] = [];
    const insertsSequential = await rate(OPERATIONS, 1, async (i) => {
      const user = await User.create({ email: `u${i}@bench.test`, name: `User ${i}`, practice: 'p1', roles: ['clinician'] });
      ids.push(user._id);
    });
    const insertsConcurrent = await rate(OPERATIONS, CONCURRENCY, (i) =>
      User.create({ email: `c${i}@bench.test`, name: `User ${i}`, practice: 'p2', roles: ['clinician'] }));
    const byId = await rate(OPERATIONS, CONCURRENCY, (i) => User.findById(ids[i % ids.length]).lean());
    const byEmail = await rate(OPERATIONS, CONCURRENCY, (i) => User.findOne({ email: `u${i}@bench.test` }).lean());
    return {
      store: label,
      'insert/s (1 at a time)': insertsSequential,
      [`insert/s (${CONCURRENCY} in flight)`]: insertsConcurrent,
      'findById/s': byId,
      'findOne by unique email/s': byEmail,
    };
  } finally {
    await conn.close();
    await store.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'store-bench-'));
try {
  const rows = [await measure('memory', undefined), await measure('dataDir (fsync)', join(dir, 'data'))];
  console.log(`${OPERATIONS} operations each, node ${process.version}, ${process.platform}`);
  console.table(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
