/**
 * A large insert runs in slices of INSERT_SLICE documents with a yield between them, so a bulk
 * load never holds the event loop for a whole batch; the reply is still the one mongod gives for
 * the whole command (n, write errors indexed from its first document, ordered stops at the first).
 */
import { expect } from 'chai';
import { MongoBulkWriteError, MongoClient, type Db } from 'mongodb';

interface Numbered { _id: number; name?: string }
import { startEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded/index.js';
import { INSERT_SLICE } from '../../src/store/embedded/sliced-insert.js';

const quiet = { info(): void {}, warn(): void {}, error(): void {} };

describe('embedded store only: a large insert runs in slices', function () {
  this.timeout(30_000);
  let store: EmbeddedStore;
  let client: MongoClient;
  let db: Db;
  let inserts: number[] = [];

  before(async () => {
    store = await startEmbeddedStore({ logger: quiet, onCommand: (name, ms) => name === 'insert' && inserts.push(ms) });
    client = await new MongoClient(store.uriFor('sliced')).connect();
    db = client.db();
  });
  after(async () => {
    await client.close();
    await store.close();
  });
  beforeEach(() => {
    inserts = [];
  });

  const docs = (count: number, from = 0) => Array.from({ length: count }, (_, i) => ({ _id: from + i, name: `doc ${from + i}` }));

  it('inserts 1,000 documents sent as one command in 10 slices, and the event loop runs between them', async () => {
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const result = await db.collection<Numbered>('all').insertMany(docs(1_000));
    ticking = false;
    expect(result.insertedCount).to.equal(1_000);
    expect(await db.collection<Numbered>('all').countDocuments()).to.equal(1_000);
    // The driver may split its batch in two (999 + 1): at least one slice per INSERT_SLICE documents.
    expect(inserts.length).to.be.within(1_000 / INSERT_SLICE, 1_000 / INSERT_SLICE + 1);
    expect(turns).to.be.at.least(1_000 / INSERT_SLICE - 1);
  });

  it('an ordered insert stops at the first duplicate, in a later slice, with the index counted from the first document', async () => {
    const coll = db.collection<Numbered>('ordered');
    await coll.insertOne({ _id: 550 });
    const error = await coll.insertMany(docs(1_000)).catch((err: unknown) => err);
    expect(error).to.be.instanceOf(MongoBulkWriteError);
    const bulk = error as MongoBulkWriteError;
    expect(bulk.insertedCount).to.equal(550);
    expect(bulk.writeErrors).to.satisfy((errors: unknown) => (Array.isArray(errors) ? errors : [errors]).length === 1);
    const first = Array.isArray(bulk.writeErrors) ? bulk.writeErrors[0] : bulk.writeErrors;
    expect(first?.index).to.equal(550);
    expect(first?.code).to.equal(11000);
    expect(await coll.countDocuments()).to.equal(551);
    expect(inserts.length).to.equal(1 + 6); // the single insert, then slices up to the failing one
  });

  it('an unordered insert carries on past duplicates in several slices and reports each at its own index', async () => {
    const coll = db.collection<Numbered>('unordered');
    await coll.insertMany([{ _id: 150 }, { _id: 750 }]);
    const error = await coll.insertMany(docs(1_000), { ordered: false }).catch((err: unknown) => err);
    expect(error).to.be.instanceOf(MongoBulkWriteError);
    const bulk = error as MongoBulkWriteError;
    expect(bulk.insertedCount).to.equal(998);
    const errors = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : [bulk.writeErrors];
    expect(errors.map((e) => e.index)).to.deep.equal([150, 750]);
    expect(await coll.countDocuments()).to.equal(1_000);
  });

  it('a 2,500-document insertMany is sliced the same way, across the driver\'s batches', async () => {
    const result = await db.collection<Numbered>('big').insertMany(docs(2_500));
    expect(result.insertedCount).to.equal(2_500);
    expect(inserts.length).to.be.within(25, 28);
    expect(await db.collection<Numbered>('big').countDocuments()).to.equal(2_500);
  });
});
