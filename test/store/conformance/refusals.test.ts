import { expect } from 'chai';
import { MongoServerError } from 'mongodb';
import { connectToStoreUnderTest, rejection } from './connect.js';

/** What mongod 7.0 refuses, the store refuses with the same code, so nothing passes here that fails on MongoDB. */
describe('store conformance: what mongod 7.0 refuses', () => {
  const ctx = connectToStoreUnderTest();
  let major = 0;
  before(async () => {
    const info = await ctx.db.admin().command({ buildInfo: 1 });
    major = Number(String(info.version).split('.')[0]);
  });

  it('an array, a regex or a $-prefixed field as _id (code 2, 2 and 52); a nested plain _id is fine', async () => {
    const docs = ctx.db.collection('ref_ids');
    for (const [id, code] of [[[1, 2], 2], [/x/, 2], [{ $a: 1 }, 52], [{ ok: { $b: 1 } }, 52]] as const) {
      const error = await rejection(() => docs.insertOne({ _id: id as never }));
      expect(error.code, String(id)).to.equal(code);
    }
    const upsert = await rejection(() => docs.updateOne({ k: 1 }, { $set: { _id: [3] as never } }, { upsert: true }));
    expect(upsert.code).to.equal(2);
    await docs.insertOne({ _id: { a: 1, b: [2] } as never });
    expect(await docs.countDocuments()).to.equal(1);
  });

  it('sort on updateOne and replaceOne: refused by 7.0 (code 40415, the command fails), honoured by 8.0', async () => {
    const docs = ctx.db.collection('ref_update_sort');
    await docs.insertMany([{ n: 1, g: 'a' }, { n: 2, g: 'a' }]);
    if (major >= 8) {
      await docs.updateOne({ g: 'a' }, { $set: { hit: true } }, { sort: { n: -1 } });
      expect(await docs.countDocuments({ n: 2, hit: true })).to.equal(1);
      return;
    }
    const update = await rejection(() => docs.updateOne({ g: 'a' }, { $set: { hit: true } }, { sort: { n: -1 } }));
    expect(update).to.be.instanceOf(MongoServerError);
    expect(update.code).to.equal(40415);
    const replace = await rejection(() => docs.replaceOne({ g: 'a' }, { n: 9 }, { sort: { n: -1 } }));
    expect(replace.code).to.equal(40415);
    expect(await docs.countDocuments({ hit: true })).to.equal(0);
  });

  it('a hint naming no index is refused (code 2) by find, count, aggregate, update, delete and findAndModify', async () => {
    const docs = ctx.db.collection('ref_hint');
    await docs.createIndex({ email: 1 });
    await docs.insertOne({ email: 'a@x.test' });
    // Hints that name an index (by name or by key) and $natural work.
    expect(await docs.find({ email: 'a@x.test' }, { hint: 'email_1' }).toArray()).to.have.length(1);
    expect(await docs.find({}, { hint: { email: 1 } }).toArray()).to.have.length(1);
    expect(await docs.find({}, { hint: { $natural: 1 } }).toArray()).to.have.length(1);
    const refused = [
      () => docs.find({}, { hint: 'nope_1' }).toArray(),
      () => docs.find({}, { hint: { nope: 1 } }).toArray(),
      () => docs.countDocuments({}, { hint: 'nope_1' }),
      () => docs.aggregate([{ $match: {} }], { hint: 'nope_1' }).toArray(),
      () => docs.updateOne({}, { $set: { x: 1 } }, { hint: 'nope_1' }),
      () => docs.deleteOne({}, { hint: 'nope_1' }),
      () => docs.findOneAndUpdate({}, { $set: { x: 1 } }, { hint: 'nope_1' as never }),
    ];
    for (const [i, action] of refused.entries()) {
      const error = await rejection(action);
      expect(error.code, `case ${i}`).to.equal(2);
    }
    expect(await docs.countDocuments({ x: 1 })).to.equal(0);
    expect(await docs.countDocuments()).to.equal(1);
  });

  it('create with an option mongod does not know is refused (code 40415)', async () => {
    const error = await rejection(() => ctx.db.command({ create: 'ref_create', madeUp: true }));
    expect(error.code).to.equal(40415);
    expect((await ctx.db.listCollections({ name: 'ref_create' }).toArray())).to.deep.equal([]);
  });
});
