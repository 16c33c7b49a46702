import { expect } from 'chai';
import { ObjectId } from 'mongodb';
import { connectToStoreUnderTest } from './connect.js';

describe('store conformance: upserts and findOneAndUpdate / Delete / Replace', () => {
  const ctx = connectToStoreUnderTest();

  it('an updateOne upsert inserts the filter\'s equality fields plus $set and $setOnInsert', async () => {
    const docs = ctx.db.collection('upsert_insert');
    const created = new Date('2024-05-01T00:00:00Z');
    const result = await docs.updateOne(
      { practice: 'p1', 'profile.email': 'a@x.test', age: { $gt: 18 } },
      { $set: { name: 'Ada' }, $setOnInsert: { createdAt: created }, $inc: { logins: 1 } },
      { upsert: true },
    );
    expect([result.matchedCount, result.modifiedCount, result.upsertedCount]).to.deep.equal([0, 0, 1]);
    expect(result.upsertedId).to.be.instanceOf(ObjectId);
    expect(await docs.findOne({ _id: result.upsertedId! })).to.deep.equal({
      _id: result.upsertedId, practice: 'p1', profile: { email: 'a@x.test' }, name: 'Ada', createdAt: created, logins: 1,
    });
  });

  it('an upsert by _id inserts a document with that _id, then updates it in place', async () => {
    const docs = ctx.db.collection<{ _id: string; payload?: object; n?: number }>('upsert_by_id');
    const inserted = await docs.updateOne({ _id: 'grant-1' }, { $set: { payload: { a: 1 } }, $inc: { n: 1 } }, { upsert: true });
    expect(inserted.upsertedId).to.equal('grant-1');
    const updated = await docs.updateOne({ _id: 'grant-1' }, { $set: { payload: { b: 2 } }, $inc: { n: 1 } }, { upsert: true });
    expect([updated.matchedCount, updated.upsertedCount]).to.deep.equal([1, 0]);
    expect(await docs.find({}).toArray()).to.deep.equal([{ _id: 'grant-1', payload: { b: 2 }, n: 2 }]);
  });

  it('an upsert that matches updates the document and ignores $setOnInsert', async () => {
    const docs = ctx.db.collection('upsert_match');
    const { insertedId } = await docs.insertOne({ key: 'k', name: 'old', createdAt: 'original' });
    const result = await docs.updateOne(
      { key: 'k' },
      { $set: { name: 'new' }, $setOnInsert: { createdAt: 'replaced?', other: 1 } },
      { upsert: true },
    );
    expect([result.matchedCount, result.modifiedCount, result.upsertedCount]).to.deep.equal([1, 1, 0]);
    expect(result.upsertedId).to.equal(null);
    expect(await docs.find({}).toArray()).to.deep.equal([{ _id: insertedId, key: 'k', name: 'new', createdAt: 'original' }]);
  });

  it('a replacement upsert inserts the replacement, taking _id from the filter when it has one', async () => {
    const docs = ctx.db.collection('upsert_replace');
    const withFilterId = await docs.replaceOne({ _id: 'fixed-id' as unknown as ObjectId }, { v: 1 }, { upsert: true });
    expect(withFilterId.upsertedId).to.equal('fixed-id');
    const plain = await docs.replaceOne({ key: 'r' }, { v: 2 }, { upsert: true });
    expect(plain.upsertedCount).to.equal(1);
    expect(await docs.find({}, { sort: { v: 1 } }).toArray()).to.deep.equal([
      { _id: 'fixed-id', v: 1 },
      // A replacement is the whole document: the filter's other fields are not merged into it.
      { _id: plain.upsertedId, v: 2 },
    ]);
  });

  it('findOneAndUpdate returns the document before by default, or after when asked', async () => {
    const docs = ctx.db.collection('fam_return');
    const { insertedId } = await docs.insertOne({ k: 'a', n: 1, nested: { v: 'old' } });
    const before = await docs.findOneAndUpdate({ k: 'a' }, { $inc: { n: 1 }, $set: { 'nested.v': 'new' } });
    expect(before).to.deep.equal({ _id: insertedId, k: 'a', n: 1, nested: { v: 'old' } });
    const after = await docs.findOneAndUpdate({ k: 'a' }, { $inc: { n: 1 } }, { returnDocument: 'after' });
    expect(after).to.deep.equal({ _id: insertedId, k: 'a', n: 3, nested: { v: 'new' } });
    expect(await docs.findOneAndUpdate({ k: 'missing' }, { $inc: { n: 1 } })).to.equal(null);
  });

  it('findOneAndUpdate with upsert inserts, returning null (before) or the new document (after)', async () => {
    const docs = ctx.db.collection('fam_upsert');
    const before = await docs.findOneAndUpdate({ k: 'b' }, { $set: { v: 1 } }, { upsert: true });
    expect(before).to.equal(null);
    const after = await docs.findOneAndUpdate(
      { k: 'c' }, { $set: { v: 2 }, $setOnInsert: { fresh: true } }, { upsert: true, returnDocument: 'after' },
    );
    expect(after).to.include({ k: 'c', v: 2, fresh: true });
    expect(after?._id).to.be.instanceOf(ObjectId);
    const meta = await docs.findOneAndUpdate({ k: 'd' }, { $set: { v: 3 } }, { upsert: true, includeResultMetadata: true });
    expect(meta.lastErrorObject).to.include({ n: 1, updatedExisting: false });
    expect(meta.lastErrorObject?.upserted).to.be.instanceOf(ObjectId);
    expect(await docs.countDocuments()).to.equal(3);
  });

  it('findOneAndUpdate / Delete / Replace act on the first document in the given sort order', async () => {
    const docs = ctx.db.collection('fam_sort');
    await docs.insertMany([{ g: 'a', n: 2 }, { g: 'a', n: 3 }, { g: 'a', n: 1 }, { g: 'b', n: 9 }]);
    const updated = await docs.findOneAndUpdate({ g: 'a' }, { $set: { picked: true } }, { sort: { n: -1 }, returnDocument: 'after' });
    expect(updated).to.include({ n: 3, picked: true });
    const deleted = await docs.findOneAndDelete({ g: 'a' }, { sort: { n: 1 } });
    expect(deleted).to.include({ n: 1 });
    const replaced = await docs.findOneAndReplace({ g: 'a' }, { g: 'a', n: 20 }, { sort: { n: 1 }, returnDocument: 'after' });
    expect(replaced).to.include({ n: 20 });
    expect((await docs.find({}, { sort: { n: 1 } }).toArray()).map((d) => d.n)).to.deep.equal([3, 9, 20]);
  });

  it('findOneAndDelete returns the removed document and null when nothing matches', async () => {
    const docs = ctx.db.collection('fam_delete');
    const { insertedId } = await docs.insertOne({ k: 'x' });
    expect(await docs.findOneAndDelete({ k: 'x' })).to.deep.equal({ _id: insertedId, k: 'x' });
    expect(await docs.findOneAndDelete({ k: 'x' })).to.equal(null);
    expect(await docs.countDocuments()).to.equal(0);
  });

  it('findOneAndReplace keeps the _id and returns before or after', async () => {
    const docs = ctx.db.collection('fam_replace');
    const { insertedId } = await docs.insertOne({ k: 'x', old: true });
    const before = await docs.findOneAndReplace({ k: 'x' }, { k: 'x', fresh: true });
    expect(before).to.deep.equal({ _id: insertedId, k: 'x', old: true });
    const after = await docs.findOneAndReplace({ k: 'x' }, { k: 'x', v: 2 }, { returnDocument: 'after', projection: { _id: 0 } });
    expect(after).to.deep.equal({ k: 'x', v: 2 });
    expect(await docs.findOne({ _id: insertedId })).to.deep.equal({ _id: insertedId, k: 'x', v: 2 });
  });
});
