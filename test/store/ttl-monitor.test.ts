/**
 * The embedded store's TTL monitor itself (a real MongoDB's monitor is mongod's business): it runs on
 * its own timer, deletes through an ordered expiry index (only what is due, an updated expiry
 * counts), in slices, and can be stopped so tests prove that every flow checks expiry itself.
 */
import { expect } from 'chai';
import { MongoClient, type Collection } from 'mongodb';
import { startEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded/index.js';
import { SLICE } from '../../src/store/embedded/ttl.js';
import { FakeClock } from '../helpers/clock.js';

const quiet = { info(): void {}, warn(): void {} };

describe('embedded store only: the TTL monitor', () => {
  const clock = new FakeClock();
  let stores: EmbeddedStore[] = [];
  let clients: MongoClient[] = [];

  async function open(options: { ttlSweepIntervalMs?: number; ttlMonitor?: boolean }): Promise<Collection> {
    const store = await startEmbeddedStore({ now: clock.now, logger: quiet, ...options });
    stores.push(store);
    const client = await new MongoClient(store.uriFor('ttl_monitor')).connect();
    clients.push(client);
    const docs = client.db().collection('docs');
    await docs.createIndex({ at: 1 }, { expireAfterSeconds: 60 });
    return docs;
  }

  afterEach(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(stores.map((store) => store.close()));
    [stores, clients] = [[], []];
  });

  it('deletes only due documents, by their current expiry (a pushed-back one stays, a pulled-forward one goes)', async () => {
    const docs = await open({ ttlMonitor: false });
    const now = clock.now();
    await docs.insertMany(Array.from({ length: 50 }, (_, i) => ({ i, at: new Date(now + i * 1000) })));
    await docs.updateOne({ i: 0 }, { $set: { at: new Date(now + 3600_000) } });
    await docs.updateOne({ i: 49 }, { $set: { at: new Date(now - 3600_000) } });
    await docs.updateOne({ i: 5 }, { $set: { note: 'same expiry, new version' } });
    clock.advance(60_000 + 10_500);
    expect(stores[0]!.sweepExpired()).to.equal(11); // i = 1..10 and 49
    const left = (await docs.find({}, { sort: { i: 1 } }).toArray()).map((d) => d.i as number);
    expect(left).to.deep.equal([0, ...Array.from({ length: 38 }, (_, k) => k + 11)]);
    expect(stores[0]!.sweepExpired()).to.equal(0);
  });

  it('stopped (ttlMonitor: false), nothing is ever deleted behind the application\'s back', async () => {
    const docs = await open({ ttlMonitor: false, ttlSweepIntervalMs: 10 });
    await docs.insertOne({ at: new Date(clock.now() - 3600_000) });
    await new Promise((resolve) => setTimeout(resolve, 100)); // ten timer periods
    expect(await docs.countDocuments()).to.equal(1);
  });

  it('running, its timer deletes an expiry wave larger than one slice, and nothing that is not due', async function () {
    this.timeout(15_000);
    const docs = await open({ ttlSweepIntervalMs: 20 });
    const now = clock.now();
    const total = 2 * SLICE + 10;
    await docs.insertMany(Array.from({ length: total }, (_, i) => ({ i, at: new Date(now - 3600_000) })));
    await docs.insertOne({ i: -1, at: new Date(now + 3600_000) });
    const deadline = Date.now() + 10_000;
    for (let left = total + 1; left > 1; left = await docs.countDocuments()) {
      if (Date.now() > deadline) throw new Error(`the monitor left ${left} documents`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await docs.find({}).toArray()).map((d) => d.i)).to.deep.equal([-1]);
  });

  it('warns, at start and from its timer, while more documents are stored than warnAboveDocuments (production sizing)', async () => {
    const warnings: string[] = [];
    const logger = { info(): void {}, warn: (msg: string): void => void warnings.push(msg) };
    const store = await startEmbeddedStore({ now: clock.now, logger, ttlSweepIntervalMs: 20, warnAboveDocuments: 3 });
    stores.push(store);
    const client = await new MongoClient(store.uriFor('sizing')).connect();
    clients.push(client);
    await client.db().collection('docs').insertMany([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(warnings, 'at the limit: no warning').to.deep.equal([]);
    await client.db().collection('docs').insertOne({ n: 4 });
    const deadline = Date.now() + 5_000;
    while (!warnings.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/^4 documents stored, above the 3 the embedded store is sized for: .*move to MongoDB \(set MONGODB_URI/);
    expect(store.documentCount()).to.equal(4);
  });
});
