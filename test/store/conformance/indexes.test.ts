import { expect } from 'chai';
import { MongoServerError } from 'mongodb';
import mongoose from 'mongoose';
import { connectToStoreUnderTest, rejection } from './connect.js';

describe('store conformance: unique and sparse indexes', () => {
  const ctx = connectToStoreUnderTest();

  it('a duplicate key through the driver fails with code 11000, keyPattern and keyValue', async () => {
    const users = ctx.db.collection('idx_unique');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'a@x.test' });
    const error = await rejection(() => users.insertOne({ email: 'a@x.test' }));
    expect(error).to.be.instanceOf(MongoServerError);
    expect(error.code).to.equal(11000);
    expect(error.message).to.match(/^E11000 duplicate key error/);
    expect(error.keyPattern).to.deep.equal({ email: 1 });
    expect(error.keyValue).to.deep.equal({ email: 'a@x.test' });
    expect(await users.countDocuments()).to.equal(1);
  });

  it('an update that would duplicate a unique key fails with 11000 and changes nothing', async () => {
    const users = ctx.db.collection('idx_unique_update');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertMany([{ email: 'a@x.test', n: 1 }, { email: 'b@x.test', n: 2 }]);
    const error = await rejection(() => users.updateOne({ email: 'b@x.test' }, { $set: { email: 'a@x.test', n: 3 } }));
    expect(error.code).to.equal(11000);
    expect((await users.find({}, { projection: { _id: 0 }, sort: { n: 1 } }).toArray()))
      .to.deep.equal([{ email: 'a@x.test', n: 1 }, { email: 'b@x.test', n: 2 }]);
    // The refused value was not left behind in the index: freeing 'b' makes it usable again.
    await users.updateOne({ email: 'b@x.test' }, { $set: { email: 'c@x.test' } });
    await users.insertOne({ email: 'b@x.test', n: 4 });
  });

  it('a mongoose model with unique: true rejects a duplicate save with code 11000', async () => {
    const connection = await mongoose.createConnection(ctx.store.uri).asPromise();
    try {
      const Account = connection.model('IdxAccount', new mongoose.Schema({ login: { type: String, unique: true } }));
      await Account.init();
      await new Account({ login: 'ada' }).save();
      const error = await rejection(() => new Account({ login: 'ada' }).save());
      expect(error.code).to.equal(11000);
      expect(error.keyValue).to.deep.equal({ login: 'ada' });
      expect(await Account.countDocuments()).to.equal(1);
    } finally {
      await connection.close();
    }
  });

  it('a unique compound index refuses only the same combination', async () => {
    const members = ctx.db.collection('idx_compound');
    await members.createIndex({ practice: 1, email: 1 }, { unique: true });
    await members.insertMany([
      { practice: 'p1', email: 'a@x.test' }, { practice: 'p2', email: 'a@x.test' }, { practice: 'p1', email: 'b@x.test' },
    ]);
    const error = await rejection(() => members.insertOne({ practice: 'p2', email: 'a@x.test' }));
    expect(error.code).to.equal(11000);
    expect(error.keyPattern).to.deep.equal({ practice: 1, email: 1 });
    expect(error.keyValue).to.deep.equal({ practice: 'p2', email: 'a@x.test' });
    expect(await members.countDocuments()).to.equal(3);
  });

  it('a unique index treats a missing field as null: two documents without it collide', async () => {
    const docs = ctx.db.collection('idx_unique_missing');
    await docs.createIndex({ phone: 1 }, { unique: true });
    await docs.insertOne({ name: 'first' });
    const error = await rejection(() => docs.insertOne({ name: 'second' }));
    expect(error.code).to.equal(11000);
  });

  it('a sparse unique index allows many documents without the field, but not two equal values', async () => {
    const docs = ctx.db.collection('idx_sparse');
    await docs.createIndex({ phone: 1 }, { unique: true, sparse: true });
    await docs.insertMany([{ name: 'a' }, { name: 'b' }, { name: 'c', phone: '+100' }]);
    const error = await rejection(() => docs.insertOne({ name: 'd', phone: '+100' }));
    expect(error.code).to.equal(11000);
    expect(await docs.countDocuments()).to.equal(3);
  });

  it('creating a unique index over existing duplicates fails and leaves no such index', async () => {
    const docs = ctx.db.collection('idx_build_dupes');
    await docs.insertMany([{ code: 'x' }, { code: 'x' }]);
    const error = await rejection(() => docs.createIndex({ code: 1 }, { unique: true, name: 'code_unique' }));
    expect(error).to.be.instanceOf(MongoServerError);
    expect(error.code).to.equal(11000);
    const names = (await docs.listIndexes().toArray()).map((index) => index.name);
    expect(names).to.deep.equal(['_id_']);
    await docs.insertOne({ code: 'x' });
    expect(await docs.countDocuments({ code: 'x' })).to.equal(3);
  });

  it('a unique index on a dotted path compares the nested value', async () => {
    const docs = ctx.db.collection('idx_dotted');
    await docs.createIndex({ 'profile.email': 1 }, { unique: true });
    await docs.insertMany([{ profile: { email: 'a@x.test' } }, { profile: { email: 'b@x.test' } }]);
    const error = await rejection(() => docs.insertOne({ profile: { email: 'a@x.test', other: 1 } }));
    expect(error.code).to.equal(11000);
    expect(error.keyValue).to.deep.equal({ 'profile.email': 'a@x.test' });
  });

  it('a unique index on an array field refuses a value another document\'s array holds', async () => {
    const docs = ctx.db.collection('idx_multikey');
    await docs.createIndex({ aliases: 1 }, { unique: true });
    await docs.insertOne({ aliases: ['a', 'b'] });
    await docs.insertOne({ aliases: ['c'] });
    const error = await rejection(() => docs.insertOne({ aliases: ['d', 'b'] }));
    expect(error.code).to.equal(11000);
    expect(await docs.countDocuments()).to.equal(2);
  });

  it('the _id index is always unique', async () => {
    const docs = ctx.db.collection('idx_id');
    await docs.insertOne({ _id: 'same' as never });
    const error = await rejection(() => docs.insertOne({ _id: 'same' as never }));
    expect(error.code).to.equal(11000);
    expect(error.keyValue).to.deep.equal({ _id: 'same' });
  });
  it('finds through non-unique, sparse, compound and multikey indexes exactly what a scan finds', async () => {
    const records = ctx.db.collection('idx_lookup');
    await records.createIndex({ kind: 1, owner: 1 }, { sparse: true });
    await records.createIndex({ tags: 1 });
    await records.insertMany([
      { _id: 1 as never, kind: 'Session', owner: 'ann', tags: ['a', 'b'] },
      { _id: 2 as never, kind: 'Session', owner: 'bob', tags: ['b'] },
      { _id: 3 as never, kind: 'Grant', owner: 'ann', tags: [] },
      { _id: 4 as never, kind: 'Session', tags: 'a' },
      { _id: 5 as never, kind: 'Session', owner: 1 },
    ]);
    const ids = async (filter: Record<string, unknown>) => (await records.find(filter, { sort: { _id: 1 } }).toArray()).map((doc) => doc._id);
    expect(await ids({ kind: 'Session', owner: 'ann' })).to.deep.equal([1]);
    expect(await ids({ kind: 'Session', owner: 1.0 })).to.deep.equal([5]);
    expect(await ids({ kind: 'Session', owner: null })).to.deep.equal([4]);
    expect(await ids({ kind: 'Session', owner: 'ann', tags: 'b' })).to.deep.equal([1]);
    expect(await ids({ tags: 'a' })).to.deep.equal([1, 4]);
    await records.updateOne({ _id: 2 as never }, { $set: { owner: 'ann' }, $push: { tags: 'a' } } as never);
    await records.deleteOne({ _id: 1 as never });
    expect(await ids({ kind: 'Session', owner: 'ann' })).to.deep.equal([2]);
    expect(await ids({ kind: 'Session', owner: 'bob' })).to.deep.equal([]);
    expect(await ids({ tags: 'a' })).to.deep.equal([2, 4]);
  });
});
