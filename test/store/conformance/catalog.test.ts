import { expect } from 'chai';
import { MongoServerError } from 'mongodb';
import { connectToStoreUnderTest, rejection } from './connect.js';

describe('store conformance: collections, indexes and databases', () => {
  const ctx = connectToStoreUnderTest();
  const collectionNames = async () => (await ctx.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();

  it('listCollections shows created collections and honours a name filter', async () => {
    await ctx.db.collection('cat_a').insertOne({ x: 1 });
    await ctx.db.createCollection('cat_b');
    const names = await collectionNames();
    expect(names).to.include.members(['cat_a', 'cat_b']);
    expect((await ctx.db.listCollections({ name: 'cat_b' }).toArray()).map((c) => c.name)).to.deep.equal(['cat_b']);
  });

  it('create on an existing collection fails with NamespaceExists (code 48)', async () => {
    await ctx.db.command({ create: 'cat_exists' });
    const error = await rejection(() => ctx.db.command({ create: 'cat_exists' }));
    expect(error).to.be.instanceOf(MongoServerError);
    expect(error.code).to.equal(48);
  });

  it('listIndexes shows _id_ and created indexes with their options; missing collection is code 26', async () => {
    const docs = ctx.db.collection('cat_indexes');
    const name = await docs.createIndex({ email: 1 }, { unique: true });
    await docs.createIndex({ practice: 1, createdAt: -1 }, { name: 'by_practice_recent' });
    expect(name).to.equal('email_1');
    const indexes = await docs.listIndexes().toArray();
    expect(indexes.map((index) => [index.name, index.key])).to.deep.equal([
      ['_id_', { _id: 1 }], ['email_1', { email: 1 }], ['by_practice_recent', { practice: 1, createdAt: -1 }],
    ]);
    expect(indexes[1]?.unique).to.equal(true);
    expect(await docs.indexExists('email_1')).to.equal(true);
    const missing = await rejection(() => ctx.db.command({ listIndexes: 'cat_never_created' }));
    expect(missing.code).to.equal(26);
  });

  it('creating the same index twice is a no-op', async () => {
    const docs = ctx.db.collection('cat_index_twice');
    await docs.createIndex({ k: 1 }, { unique: true });
    await docs.createIndex({ k: 1 }, { unique: true });
    expect((await docs.listIndexes().toArray()).map((index) => index.name)).to.deep.equal(['_id_', 'k_1']);
  });

  it('dropIndex removes one index and lifts its constraint; dropIndexes removes all but _id_', async () => {
    const docs = ctx.db.collection('cat_drop_indexes');
    await docs.createIndex({ a: 1 }, { unique: true });
    await docs.createIndex({ b: 1 });
    await docs.dropIndex('a_1');
    await docs.insertMany([{ a: 1 }, { a: 1 }]);
    expect((await docs.listIndexes().toArray()).map((index) => index.name)).to.deep.equal(['_id_', 'b_1']);
    await docs.createIndex({ c: 1 });
    await docs.dropIndexes();
    expect((await docs.listIndexes().toArray()).map((index) => index.name)).to.deep.equal(['_id_']);
  });

  it('drop removes a collection with its documents and indexes', async () => {
    const docs = ctx.db.collection('cat_drop');
    await docs.createIndex({ u: 1 }, { unique: true });
    await docs.insertOne({ u: 1 });
    expect(await docs.drop()).to.equal(true);
    expect(await collectionNames()).to.not.include('cat_drop');
    expect(await docs.countDocuments()).to.equal(0);
    await docs.insertOne({ u: 1 });
    await docs.insertOne({ u: 1 });
    expect(await docs.countDocuments()).to.equal(2);
  });

  it('dropDatabase removes every collection of that database only', async () => {
    const other = ctx.client.db(`${ctx.store.dbName}_other`);
    await other.collection('keep').insertOne({ k: 1 });
    const scratch = ctx.client.db(`${ctx.store.dbName}_scratch`);
    await scratch.collection('one').insertOne({ a: 1 });
    await scratch.collection('two').insertOne({ b: 1 });
    expect(await scratch.dropDatabase()).to.equal(true);
    expect(await scratch.listCollections().toArray()).to.deep.equal([]);
    expect(await scratch.collection('one').countDocuments()).to.equal(0);
    expect(await other.collection('keep').countDocuments()).to.equal(1);
    await other.dropDatabase();
  });
});
