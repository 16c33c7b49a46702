import { expect } from 'chai';
import { MongoServerError, type Document } from 'mongodb';
import { connectToStoreUnderTest, rejection } from './connect.js';

describe('store conformance: update operators', () => {
  const ctx = connectToStoreUnderTest();

  /** Inserts `start`, applies `update` to it, returns the stored result without _id. */
  async function applied(collection: string, start: Document, update: Document): Promise<Document> {
    const docs = ctx.db.collection(collection);
    const { insertedId } = await docs.insertOne(start);
    await docs.updateOne({ _id: insertedId }, update);
    const { _id, ...rest } = (await docs.findOne({ _id: insertedId }, {}))!;
    return rest;
  }

  it('$set sets top-level and dotted paths, creating missing parents', async () => {
    expect(await applied('op_set', { a: 1, n: { x: 1 } }, { $set: { a: 2, 'n.y': 2, 'deep.er.z': 3 } }))
      .to.deep.equal({ a: 2, n: { x: 1, y: 2 }, deep: { er: { z: 3 } } });
  });

  it('$unset removes fields, including dotted ones, and ignores missing ones', async () => {
    expect(await applied('op_unset', { a: 1, b: 2, n: { x: 1, y: 2 } }, { $unset: { a: '', 'n.x': '', zz: '' } }))
      .to.deep.equal({ b: 2, n: { y: 2 } });
  });

  it('$inc adds to existing numbers (also negative) and creates missing fields', async () => {
    expect(await applied('op_inc', { n: 5, m: 1.5 }, { $inc: { n: -2, m: 1, fresh: 7, 'c.hits': 1 } }))
      .to.deep.equal({ n: 3, m: 2.5, fresh: 7, c: { hits: 1 } });
  });

  it('$push appends one value, or $each values kept to the last $slice', async () => {
    expect(await applied('op_push', { t: [1] }, { $push: { t: 2, fresh: 'a' } }))
      .to.deep.equal({ t: [1, 2], fresh: ['a'] });
    expect(await applied('op_push_each', { t: [1, 2] }, { $push: { t: { $each: [3, 4, 5], $slice: -3 } } }))
      .to.deep.equal({ t: [3, 4, 5] });
    expect(await applied('op_push_first', { t: [1, 2] }, { $push: { t: { $each: [3], $slice: 2 } } }))
      .to.deep.equal({ t: [1, 2] });
  });

  it('$pull removes every matching value, by equality or by condition', async () => {
    expect(await applied('op_pull', { t: ['a', 'b', 'a', 'c'], n: [1, 5, 9] }, { $pull: { t: 'a', n: { $gte: 5 } } }))
      .to.deep.equal({ t: ['b', 'c'], n: [1] });
    expect(await applied('op_pull_docs', { s: [{ id: 1 }, { id: 2 }] }, { $pull: { s: { id: 1 } } }))
      .to.deep.equal({ s: [{ id: 2 }] });
  });

  it('$addToSet adds only values not already present (single and $each)', async () => {
    expect(await applied('op_add_to_set', { t: ['a'] }, { $addToSet: { t: 'a', u: 'x' } }))
      .to.deep.equal({ t: ['a'], u: ['x'] });
    expect(await applied('op_add_to_set_each', { t: ['a'] }, { $addToSet: { t: { $each: ['a', 'b', 'b', 'c'] } } }))
      .to.deep.equal({ t: ['a', 'b', 'c'] });
  });

  it('$min and $max change a value only when the new one is lower / higher (numbers and dates)', async () => {
    const early = new Date('2024-01-01T00:00:00Z');
    const late = new Date('2025-01-01T00:00:00Z');
    expect(await applied('op_min_max', { lo: 5, hi: 5, keepLo: 1, keepHi: 9, d: late },
      { $min: { lo: 3, keepLo: 4, d: early, newMin: 2 }, $max: { hi: 8, keepHi: 2 } }))
      .to.deep.equal({ lo: 3, hi: 8, keepLo: 1, keepHi: 9, d: early, newMin: 2 });
  });

  it('$currentDate sets the store\'s current time as a Date', async () => {
    const before = Date.now();
    const result = await applied('op_current_date', { a: 1 }, { $currentDate: { touchedAt: true } });
    const after = Date.now();
    expect(result.touchedAt).to.be.instanceOf(Date);
    const stamped = (result.touchedAt as Date).getTime();
    // The store's "now" is its injected clock (the same one TTL uses); a real mongod uses real time.
    if (ctx.store.clock) expect(stamped).to.equal(ctx.store.clock.now());
    else expect(stamped).to.be.within(before - 2000, after + 2000);
  });

  it('$rename moves a field (also into a dotted path) and ignores a missing source', async () => {
    expect(await applied('op_rename', { a: 1, b: { c: 2 } }, { $rename: { a: 'z', 'b.c': 'moved.c', nope: 'x' } }))
      .to.deep.equal({ b: {}, z: 1, moved: { c: 2 } });
  });

  it('refuses two operators on one path, or on a path and its parent (code 40), changing nothing', async () => {
    const docs = ctx.db.collection('op_conflict');
    const { insertedId } = await docs.insertOne({ t: ['a'], n: { x: 1 } });
    const conflicting: Document[] = [
      { $pull: { t: 'a' }, $addToSet: { t: 'b' } },
      { $set: { t: [] }, $push: { t: 'b' } },
      { $set: { 'n.x': 2 }, $unset: { n: '' } },
    ];
    for (const update of conflicting) {
      const error = await rejection(() => docs.updateOne({ _id: insertedId }, update));
      expect(error, JSON.stringify(update)).to.be.instanceOf(MongoServerError);
      expect(error.code, JSON.stringify(update)).to.equal(40);
      expect(error.message).to.match(/conflict/i);
    }
    expect(await docs.findOne({ _id: insertedId })).to.deep.equal({ _id: insertedId, t: ['a'], n: { x: 1 } });
  });

  it('refuses $inc on a non-numeric field and leaves the document unchanged', async () => {
    const docs = ctx.db.collection('op_inc_type');
    const { insertedId } = await docs.insertOne({ s: 'text', n: 1 });
    const error = await rejection(() => docs.updateOne({ _id: insertedId }, { $inc: { s: 1, n: 1 } }));
    expect(error).to.be.instanceOf(MongoServerError);
    expect(await docs.findOne({ _id: insertedId })).to.deep.equal({ _id: insertedId, s: 'text', n: 1 });
  });
});
