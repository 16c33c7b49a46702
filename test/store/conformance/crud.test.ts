import { expect } from 'chai';
import { MongoBulkWriteError, MongoServerError, ObjectId } from 'mongodb';
import { connectToStoreUnderTest, rejection } from './connect.js';

describe('store conformance: CRUD, sort, skip, limit, projection', () => {
  const ctx = connectToStoreUnderTest();

  it('insertOne / insertMany report their ids and the documents read back', async () => {
    const users = ctx.db.collection('crud_insert');
    const one = await users.insertOne({ name: 'ada', age: 36 });
    const many = await users.insertMany([{ name: 'bob', age: 41 }, { name: 'cy', age: 29 }]);
    expect(one.acknowledged).to.equal(true);
    expect(one.insertedId).to.be.instanceOf(ObjectId);
    expect(many.insertedCount).to.equal(2);
    const found = await users.findOne({ _id: one.insertedId });
    expect(found).to.deep.equal({ _id: one.insertedId, name: 'ada', age: 36 });
    const names = (await users.find({}, { sort: { name: 1 } }).toArray()).map((d) => d.name);
    expect(names).to.deep.equal(['ada', 'bob', 'cy']);
  });

  it('find filters with comparison, $in, $or, $exists, nested paths and array membership', async () => {
    const docs = ctx.db.collection('crud_filters');
    await docs.insertMany([
      { k: 1, tags: ['a', 'b'], profile: { city: 'Lyon' } },
      { k: 2, tags: ['b'], profile: { city: 'Oslo' } },
      { k: 3, tags: [], extra: true },
    ]);
    const ks = async (filter: object) => (await docs.find(filter).sort({ k: 1 }).toArray()).map((d) => d.k);
    expect(await ks({ k: { $gte: 2 } })).to.deep.equal([2, 3]);
    expect(await ks({ k: { $in: [1, 3] } })).to.deep.equal([1, 3]);
    expect(await ks({ $or: [{ k: 1 }, { extra: true }] })).to.deep.equal([1, 3]);
    expect(await ks({ extra: { $exists: false } })).to.deep.equal([1, 2]);
    expect(await ks({ 'profile.city': 'Oslo' })).to.deep.equal([2]);
    expect(await ks({ tags: 'b' })).to.deep.equal([1, 2]);
    expect(await ks({ nothing: 'here' })).to.deep.equal([]);
  });

  it('plain equality filters: every value type, several fields, array members but not nested arrays', async () => {
    const docs = ctx.db.collection('crud_equality');
    const id = new ObjectId();
    const when = new Date('2030-01-02T03:04:05Z');
    await docs.insertMany([
      { _id: 1 as never, s: 'a', n: 1, b: true, o: id, d: when, tags: ['x', 'y'] },
      { _id: 2 as never, s: 'a', n: 2.5, b: false, tags: [['x']] },
      { _id: 3 as never, s: 'A', n: 1, tags: 'x' },
    ]);
    const ids = async (filter: Record<string, unknown>) => (await docs.find(filter, { sort: { _id: 1 } }).toArray()).map((doc) => doc._id);
    expect(await ids({ s: 'a' })).to.deep.equal([1, 2]);
    expect(await ids({ s: 'a', n: 1 })).to.deep.equal([1]);
    expect(await ids({ n: 1.0 })).to.deep.equal([1, 3]);
    expect(await ids({ b: false })).to.deep.equal([2]);
    expect(await ids({ o: id })).to.deep.equal([1]);
    expect(await ids({ d: new Date(when.getTime()) })).to.deep.equal([1]);
    expect(await ids({ tags: 'x' })).to.deep.equal([1, 3]);
    expect(await ids({ missing: 'x' })).to.deep.equal([]);
    expect(await docs.countDocuments({ s: 'a', b: true })).to.equal(1);
  });

  it('updateOne / updateMany report matched and modified counts (a no-op change is not "modified")', async () => {
    const docs = ctx.db.collection('crud_update');
    await docs.insertMany([{ g: 'x', v: 1 }, { g: 'x', v: 2 }, { g: 'y', v: 3 }]);
    const one = await docs.updateOne({ g: 'x' }, { $set: { seen: true } });
    expect([one.matchedCount, one.modifiedCount, one.upsertedCount]).to.deep.equal([1, 1, 0]);
    const many = await docs.updateMany({ g: 'x' }, { $set: { seen: true } });
    expect([many.matchedCount, many.modifiedCount]).to.deep.equal([2, 1]);
    const none = await docs.updateMany({ g: 'zzz' }, { $set: { seen: true } });
    expect([none.matchedCount, none.modifiedCount]).to.deep.equal([0, 0]);
    expect(await docs.countDocuments({ seen: true })).to.equal(2);
    expect(await docs.countDocuments({ g: 'y', seen: { $exists: true } })).to.equal(0);
  });

  it('replaceOne swaps the whole document but keeps its _id', async () => {
    const docs = ctx.db.collection('crud_replace');
    const { insertedId } = await docs.insertOne({ a: 1, b: 2 });
    const result = await docs.replaceOne({ a: 1 }, { c: 3 });
    expect([result.matchedCount, result.modifiedCount]).to.deep.equal([1, 1]);
    expect(await docs.findOne({})).to.deep.equal({ _id: insertedId, c: 3 });
  });

  it('deleteOne removes one match, deleteMany removes all matches', async () => {
    const docs = ctx.db.collection('crud_delete');
    await docs.insertMany([{ g: 1 }, { g: 1 }, { g: 1 }, { g: 2 }]);
    expect((await docs.deleteOne({ g: 1 })).deletedCount).to.equal(1);
    expect(await docs.countDocuments({ g: 1 })).to.equal(2);
    expect((await docs.deleteMany({ g: 1 })).deletedCount).to.equal(2);
    expect((await docs.deleteMany({ g: 99 })).deletedCount).to.equal(0);
    expect(await docs.countDocuments()).to.equal(1);
  });

  it('sorts by several keys, ascending and descending, then skips and limits', async () => {
    const docs = ctx.db.collection('crud_sort');
    await docs.insertMany([
      { id: 1, last: 'b', first: 'x' }, { id: 2, last: 'a', first: 'z' }, { id: 3, last: 'b', first: 'y' },
      { id: 4, last: 'a', first: 'y' }, { id: 5, last: 'c', first: 'x' },
    ]);
    const ids = async (sort: Record<string, 1 | -1>, skip = 0, limit = 0) =>
      (await docs.find({}).sort(sort).skip(skip).limit(limit).toArray()).map((d) => d.id);
    expect(await ids({ last: 1, first: 1 })).to.deep.equal([4, 2, 1, 3, 5]);
    expect(await ids({ last: 1, first: -1 })).to.deep.equal([2, 4, 3, 1, 5]);
    expect(await ids({ last: -1, first: 1 })).to.deep.equal([5, 1, 3, 4, 2]);
    expect(await ids({ id: -1 }, 1, 2)).to.deep.equal([4, 3]);
    expect(await ids({ id: 1 }, 4, 10)).to.deep.equal([5]);
    expect(await ids({ id: 1 }, 0, 3)).to.deep.equal([1, 2, 3]);
  });

  it('sorts missing and null first, then numbers, then strings (BSON type order)', async () => {
    const docs = ctx.db.collection('crud_sort_types');
    await docs.insertMany([{ id: 'str', v: 'a' }, { id: 'ten', v: 10 }, { id: 'missing' }, { id: 'one', v: 1 }, { id: 'null', v: null }]);
    const ids = (await docs.find({}).sort({ v: 1 }).toArray()).map((d) => d.id);
    expect(ids.slice(0, 2).sort()).to.deep.equal(['missing', 'null']);
    expect(ids.slice(2)).to.deep.equal(['one', 'ten', 'str']);
  });

  it('projects by inclusion, by exclusion and without _id', async () => {
    const docs = ctx.db.collection('crud_projection');
    const { insertedId } = await docs.insertOne({ a: 1, b: 2, nested: { x: 1, y: 2 } });
    expect(await docs.findOne({}, { projection: { a: 1, 'nested.y': 1 } }))
      .to.deep.equal({ _id: insertedId, a: 1, nested: { y: 2 } });
    expect(await docs.findOne({}, { projection: { b: 0, 'nested.x': 0 } }))
      .to.deep.equal({ _id: insertedId, a: 1, nested: { y: 2 } });
    expect(await docs.findOne({}, { projection: { _id: 0, a: 1 } })).to.deep.equal({ a: 1 });
    expect(await docs.findOne({}, { projection: { _id: 0 } })).to.deep.equal({ a: 1, b: 2, nested: { x: 1, y: 2 } });
  });

  it('assigns an ObjectId _id on the server when the client sends none', async () => {
    const docs = ctx.db.collection('crud_server_id');
    await docs.insertOne({ tag: 'server-id' }, { forceServerObjectId: true });
    const stored = await docs.findOne({ tag: 'server-id' });
    expect(stored?._id).to.be.instanceOf(ObjectId);
  });

  it('refuses to change _id through $set or a replacement (code 66) and leaves the document as it was', async () => {
    const docs = ctx.db.collection('crud_immutable_id');
    const { insertedId } = await docs.insertOne({ v: 1 });
    const bySet = await rejection(() => docs.updateOne({ _id: insertedId }, { $set: { _id: new ObjectId(), v: 2 } }));
    expect(bySet).to.be.instanceOf(MongoServerError);
    expect(bySet.code).to.equal(66);
    expect(bySet.message).to.include('_id');
    const byReplace = await rejection(() => docs.replaceOne({ _id: insertedId }, { _id: new ObjectId(), v: 3 }));
    expect(byReplace.code).to.equal(66);
    expect(await docs.find({}).toArray()).to.deep.equal([{ _id: insertedId, v: 1 }]);
  });

  it('ordered insertMany stops at a duplicate _id; unordered continues past it', async () => {
    const ordered = ctx.db.collection('crud_insert_ordered');
    const batch = () => [{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }] as unknown as { _id: ObjectId }[];
    const stopped = await rejection(() => ordered.insertMany(batch()));
    expect(stopped).to.be.instanceOf(MongoBulkWriteError);
    expect(stopped.insertedCount).to.equal(2);
    expect(stopped.writeErrors.map((e: { index: number; code: number }) => [e.index, e.code]))
      .to.deep.equal([[2, 11000]]);
    expect(await ordered.countDocuments()).to.equal(2);

    const unordered = ctx.db.collection('crud_insert_unordered');
    const continued = await rejection(() => unordered.insertMany(batch(), { ordered: false }));
    expect(continued.insertedCount).to.equal(3);
    expect(continued.writeErrors.map((e: { index: number; code: number }) => [e.index, e.code]))
      .to.deep.equal([[2, 11000]]);
    expect((await unordered.find({}).sort({ _id: 1 }).toArray()).map((d) => d._id)).to.deep.equal([1, 2, 3]);
  });

  it('answers an unknown command with CommandNotFound (code 59)', async () => {
    const error = await rejection(() => ctx.db.command({ noSuchCommand: 1 }));
    expect(error).to.be.instanceOf(MongoServerError);
    expect(error.code).to.equal(59);
  });
});
