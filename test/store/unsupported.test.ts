/**
 * What the embedded store does not implement, it refuses with a clear error (code 238
 * NotImplemented, naming the feature), never a silently different answer; and write concerns a
 * standalone cannot satisfy are refused as a standalone mongod refuses them (code 2). Embedded only:
 * MongoDB implements these features, and a replica set accepts those write concerns.
 */
import { expect } from 'chai';
import { Long, MongoClient, type Db } from 'mongodb';
import { startEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded/index.js';
import { rejection } from './conformance/connect.js';

const quiet = { info(): void {}, warn(): void {} };
const FRENCH = { locale: 'fr', strength: 1 };

describe('embedded store only: unimplemented features and unsatisfiable write concerns are refused', () => {
  let store: EmbeddedStore;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    store = await startEmbeddedStore({ logger: quiet });
    client = await new MongoClient(store.uriFor('unsupported')).connect();
    db = client.db();
    await db.collection('docs').insertMany([{ name: 'é' }, { name: 'e' }]);
  });
  after(async () => {
    await client?.close();
    await store?.close();
  });

  async function expectNotImplemented(action: () => Promise<unknown>, feature: RegExp): Promise<void> {
    const error = await rejection(action);
    expect(error.code, error.message).to.equal(238);
    expect(error.message).to.match(feature).and.to.match(/not supported by the embedded store/);
  }

  it('a collation on any read or write (code 238), except the simple one', async () => {
    const docs = db.collection('docs');
    const cases = [
      () => docs.find({ name: 'e' }, { collation: FRENCH }).toArray(),
      () => docs.countDocuments({ name: 'e' }, { collation: FRENCH }),
      () => docs.distinct('name', {}, { collation: FRENCH }),
      () => docs.aggregate([{ $match: { name: 'e' } }], { collation: FRENCH }).toArray(),
      () => docs.updateMany({ name: 'e' }, { $set: { x: 1 } }, { collation: FRENCH }),
      () => docs.deleteMany({ name: 'e' }, { collation: FRENCH }),
      () => docs.findOneAndDelete({ name: 'e' }, { collation: FRENCH }),
      () => docs.createIndex({ name: 1 }, { collation: FRENCH }),
      () => db.createCollection('with_collation', { collation: FRENCH }),
    ];
    for (const action of cases) await expectNotImplemented(action, /collation/);
    expect(await docs.countDocuments()).to.equal(2);
    expect(await docs.countDocuments({ x: 1 })).to.equal(0);
    expect(await docs.find({ name: 'e' }, { collation: { locale: 'simple' } }).toArray()).to.have.length(1);
  });

  it("'let' variables on find, aggregate, update and delete (code 238)", async () => {
    const docs = db.collection('docs');
    const cases = [
      () => docs.find({ $expr: { $eq: ['$name', '$$n'] } }, { let: { n: 'e' } }).toArray(),
      () => docs.aggregate([{ $match: { $expr: { $eq: ['$name', '$$n'] } } }], { let: { n: 'e' } }).toArray(),
      () => docs.updateOne({ $expr: { $eq: ['$name', '$$n'] } }, { $set: { x: 1 } }, { let: { n: 'e' } }),
      () => docs.deleteOne({ $expr: { $eq: ['$name', '$$n'] } }, { let: { n: 'e' } }),
    ];
    for (const action of cases) await expectNotImplemented(action, /'let'/);
    expect(await docs.countDocuments()).to.equal(2);
  });

  it('views, validators, capped and time series collections (code 238); the collection is not created', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ viewOn: 'docs', pipeline: [] }, /views/],
      [{ validator: { name: { $type: 'string' } } }, /validation/],
      [{ capped: true, size: 4096 }, /capped/],
      [{ timeseries: { timeField: 'at' } }, /time series/],
    ];
    for (const [options, feature] of cases) {
      await expectNotImplemented(() => db.command({ create: 'special', ...options }), feature);
    }
    expect(await db.listCollections({ name: 'special' }).toArray()).to.deep.equal([]);
    await db.command({ create: 'plain', comment: 'fine', capped: false });
    expect(await db.listCollections({ name: 'plain' }).toArray()).to.have.length(1);
  });

  it("write concerns a standalone cannot satisfy (code 2, as mongod); w 1, 'majority', j and wtimeout are fine", async () => {
    const docs = db.collection('wc');
    for (const w of [2, 'dc-east']) {
      const error = await rejection(() => docs.insertOne({ w }, { writeConcern: { w: w as never } }));
      expect(error.code, String(w)).to.equal(2);
    }
    expect(await docs.countDocuments()).to.equal(0);
    await docs.insertOne({ ok: 1 }, { writeConcern: { w: 'majority', j: true, wtimeout: 1000 } });
    await docs.insertOne({ ok: 2 }, { writeConcern: { w: 1 } });
    expect(await docs.countDocuments()).to.equal(2);
  });

  it('transactions (code 20, what a standalone mongod says)', async () => {
    const error = await rejection(() => db.command({ find: 'docs', txnNumber: Long.fromNumber(1), startTransaction: true, autocommit: false }));
    expect(error.code).to.equal(20);
    const commit = await rejection(() => client.db('admin').command({ commitTransaction: 1, txnNumber: Long.fromNumber(1), autocommit: false }));
    expect(commit.code).to.equal(20);
  });
});
