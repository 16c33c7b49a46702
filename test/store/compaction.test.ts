/**
 * Compaction of the embedded store's data directory while it serves: the journal is rotated, the
 * snapshot written in slices from the live catalog, writes made meanwhile are kept, and a journal
 * set aside by a snapshot that never finished (a stop or a crash) is folded back in at start.
 * In-process stores (faster than the CLI child of durability.test.ts).
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Collection } from 'mongodb';
import { startEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded/index.js';

const quiet = { info(): void {}, warn(): void {}, error(): void {} };

describe('embedded store only: compaction while serving', function () {
  this.timeout(60_000);
  let dataDir: string;
  let open: { store: EmbeddedStore; client: MongoClient }[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'embedded-compaction-'));
  });
  afterEach(async () => {
    for (const { store, client } of open) {
      await client.close();
      await store.close();
    }
    open = [];
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<Collection> {
    const store = await startEmbeddedStore({ dataDir, logger: quiet, compactAfterEntries: 1_000 });
    const client = await new MongoClient(store.uriFor('compaction')).connect();
    open.push({ store, client });
    return client.db().collection('docs');
  }

  async function stop(): Promise<void> {
    const last = open.pop()!;
    await last.client.close();
    await last.store.close();
  }

  async function until(condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not reached within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('keeps the writes made while the snapshot is written, and restarts from snapshot.bson plus the new journal', async () => {
    const docs = await start();
    await docs.createIndex({ k: 1 }, { unique: true });
    for (let from = 0; from < 1_100; from += 100) {
      await docs.insertMany(Array.from({ length: 100 }, (_, j) => ({ k: from + j, pad: 'x'.repeat(50) })));
    }
    // Rotation happened after the flush that crossed 1 000 entries; the snapshot runs meanwhile.
    await Promise.all(Array.from({ length: 200 }, (_, i) => docs.updateOne({ k: i }, { $set: { during: true } })));
    await docs.deleteMany({ k: { $gte: 1_000 } });
    await until(() => existsSync(join(dataDir, 'snapshot.bson')) && !existsSync(join(dataDir, 'journal.rotated.ejson')));
    await docs.insertOne({ k: -1 });
    await stop();

    const again = await start();
    expect(await again.countDocuments()).to.equal(1_001);
    expect(await again.countDocuments({ during: true })).to.equal(200);
    expect(await again.insertOne({ k: 5 }).catch((error: unknown) => error)).to.have.property('code', 11000);
    expect((await readdir(dataDir)).filter((name) => name.includes('tmp'))).to.deep.equal([]);
  });

  it('folds a journal set aside by an unfinished snapshot back in at start, losing nothing', async () => {
    const docs = await start();
    await docs.insertMany(Array.from({ length: 50 }, (_, k) => ({ k })));
    await stop();
    // What a crash between rotation and the end of the snapshot leaves: the rotated journal, a new one.
    await rename(join(dataDir, 'journal.ejson'), join(dataDir, 'journal.rotated.ejson'));
    const second = await start();
    expect(await second.countDocuments()).to.equal(50);
    await second.deleteOne({ k: 0 });
    await second.insertOne({ k: 50 });
    await stop();
    expect(existsSync(join(dataDir, 'journal.rotated.ejson'))).to.equal(false);

    const third = await start();
    expect((await third.find({}, { sort: { k: 1 } }).toArray()).map((doc) => doc.k)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
