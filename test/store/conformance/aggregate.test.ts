import { expect } from 'chai';
import { connectToStoreUnderTest } from './connect.js';

describe('store conformance: aggregate', () => {
  const ctx = connectToStoreUnderTest();
  const events = () => ctx.db.collection('agg_events');

  before(async () => {
    await events().insertMany([
      { user: 'ada', kind: 'login', ms: 10, tags: ['web', 'mfa'] },
      { user: 'ada', kind: 'login', ms: 30, tags: ['web'] },
      { user: 'bob', kind: 'login', ms: 20, tags: [] },
      { user: 'bob', kind: 'logout', ms: 5, tags: ['web'] },
      { user: 'cy', kind: 'login', ms: 40, tags: ['sms', 'mfa'] },
    ]);
  });

  it('$match, $group ($sum, $avg, $max, $push), $sort and $project', async () => {
    const rows = await events().aggregate([
      { $match: { kind: 'login' } },
      { $group: { _id: '$user', count: { $sum: 1 }, total: { $sum: '$ms' }, avg: { $avg: '$ms' }, max: { $max: '$ms' } } },
      { $sort: { total: -1, _id: 1 } },
      { $project: { _id: 0, user: '$_id', count: 1, total: 1, avg: 1, max: 1 } },
    ]).toArray();
    expect(rows).to.deep.equal([
      { user: 'ada', count: 2, total: 40, avg: 20, max: 30 },
      { user: 'cy', count: 1, total: 40, avg: 40, max: 40 },
      { user: 'bob', count: 1, total: 20, avg: 20, max: 20 },
    ]);
  });

  it('$unwind an array, then $group and $sort by two keys', async () => {
    const rows = await events().aggregate([
      { $unwind: '$tags' },
      { $group: { _id: '$tags', users: { $addToSet: '$user' }, n: { $sum: 1 } } },
      { $sort: { n: -1, _id: 1 } },
    ]).toArray();
    expect(rows.map((row) => [row._id, row.n, [...row.users].sort()])).to.deep.equal([
      ['web', 3, ['ada', 'bob']],
      ['mfa', 2, ['ada', 'cy']],
      ['sms', 1, ['cy']],
    ]);
  });

  it('$sort, $limit and $count', async () => {
    const fastest = await events().aggregate([{ $sort: { ms: 1 } }, { $limit: 2 }, { $project: { _id: 0, ms: 1 } }]).toArray();
    expect(fastest).to.deep.equal([{ ms: 5 }, { ms: 10 }]);
    expect(await events().aggregate([{ $match: { ms: { $gte: 20 } } }, { $count: 'slow' }]).toArray())
      .to.deep.equal([{ slow: 3 }]);
    expect(await events().aggregate([{ $match: { ms: { $gt: 999 } } }, { $count: 'none' }]).toArray()).to.deep.equal([]);
  });

  it('returns a large aggregate result through cursor batches', async () => {
    const many = ctx.db.collection('agg_many');
    await many.insertMany(Array.from({ length: 130 }, (_, i) => ({ i })));
    const rows = await many.aggregate([{ $match: { i: { $gte: 5 } } }, { $sort: { i: 1 } }], { batchSize: 20 }).toArray();
    expect(rows.map((row) => row.i)).to.deep.equal(Array.from({ length: 125 }, (_, k) => k + 5));
  });
});
