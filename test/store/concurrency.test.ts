import { expect } from 'chai';
import { MongoClient, type ObjectId } from 'mongodb';
import mongoose from 'mongoose';
import { storeUnderTest, type StoreUnderTest } from '../helpers/store.js';

const PARALLEL = 50;

describe('store concurrency: parallel increments on one document are never lost', () => {
  let store: StoreUnderTest;
  let client: MongoClient;
  let connection: mongoose.Connection;

  before(async () => {
    store = await storeUnderTest();
    client = await new MongoClient(store.uri, { maxPoolSize: PARALLEL }).connect();
    connection = await mongoose.createConnection(store.uri, { maxPoolSize: PARALLEL }).asPromise();
  });
  after(async () => {
    await connection?.close();
    await client?.close();
    await store?.close();
  });

  it(`${PARALLEL} parallel findOneAndUpdate $inc through the driver count to exactly ${PARALLEL}`, async () => {
    const counters = client.db().collection<{ _id: ObjectId; n: number }>('conc_driver');
    const { insertedId } = await counters.insertOne({ n: 0 } as { _id: ObjectId; n: number });
    const results = await Promise.all(Array.from({ length: PARALLEL }, () =>
      counters.findOneAndUpdate({ _id: insertedId }, { $inc: { n: 1 } }, { returnDocument: 'after' })));
    // Each increment saw a distinct value: no two read the same state.
    expect(results.map((doc) => doc!.n).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: PARALLEL }, (_, i) => i + 1));
    expect((await counters.findOne({ _id: insertedId }))!.n).to.equal(PARALLEL);
  });

  it(`${PARALLEL} parallel updateOne $inc through mongoose count to exactly ${PARALLEL}`, async () => {
    const Counter = connection.model('ConcCounter', new mongoose.Schema({ n: { type: Number, default: 0 } }));
    const counter = await Counter.create({});
    const results = await Promise.all(Array.from({ length: PARALLEL }, () =>
      Counter.updateOne({ _id: counter._id }, { $inc: { n: 1 } })));
    expect(results.every((result) => result.modifiedCount === 1)).to.equal(true);
    expect((await Counter.findById(counter._id).lean())!.n).to.equal(PARALLEL);
  });

  it(`${PARALLEL} parallel upserts on one unique key create one document counted to ${PARALLEL}`, async () => {
    const devices = client.db().collection<{ key: string; n: number }>('conc_upsert');
    await devices.createIndex({ key: 1 }, { unique: true });
    await Promise.all(Array.from({ length: PARALLEL }, () =>
      devices.updateOne({ key: 'device-1' }, { $inc: { n: 1 } }, { upsert: true })));
    const stored = await devices.find({}, { projection: { _id: 0 } }).toArray();
    expect(stored).to.deep.equal([{ key: 'device-1', n: PARALLEL }]);
  });
});
