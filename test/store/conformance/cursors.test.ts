import { expect } from 'chai';
import { Long, MongoServerError, type Document, type CommandStartedEvent, type CommandSucceededEvent } from 'mongodb';
import { connectToStoreUnderTest, rejection } from './connect.js';

describe('store conformance: cursors, counts and distinct', () => {
  const ctx = connectToStoreUnderTest({ monitorCommands: true });
  const started: CommandStartedEvent[] = [];
  const succeeded: CommandSucceededEvent[] = [];

  before(() => {
    ctx.client.on('commandStarted', (event) => started.push(event));
    ctx.client.on('commandSucceeded', (event) => succeeded.push(event));
  });
  beforeEach(() => {
    started.length = 0;
    succeeded.length = 0;
  });

  const getMores = (collection: string) =>
    started.filter((event) => event.commandName === 'getMore' && event.command.collection === collection).length;

  async function seed(collection: string, count: number): Promise<void> {
    const docs = Array.from({ length: count }, (_, i) => ({ i, parity: i % 2 }));
    await ctx.db.collection(collection).insertMany(docs);
  }

  it('returns 250 documents in batches of 50, each exactly once and in order', async () => {
    await seed('cur_batches', 250);
    const seen = await ctx.db.collection('cur_batches').find({}).sort({ i: 1 }).batchSize(50).toArray();
    expect(seen.map((d) => d.i)).to.deep.equal(Array.from({ length: 250 }, (_, i) => i));
    expect(getMores('cur_batches')).to.be.at.least(4);
  });

  it('returns more than the default first batch (101) through getMore, in order', async () => {
    await seed('cur_default', 230);
    const seen: number[] = [];
    for await (const doc of ctx.db.collection('cur_default').find({ parity: 0 }).sort({ i: -1 })) seen.push(doc.i);
    expect(seen).to.deep.equal(Array.from({ length: 115 }, (_, k) => 228 - 2 * k));
    expect(getMores('cur_default')).to.be.at.least(1);
  });

  it('a cursor abandoned early is killed on the server', async () => {
    await seed('cur_kill', 30);
    const cursor = ctx.db.collection('cur_kill').find({}).batchSize(5);
    const first = await cursor.next();
    expect(first).to.not.equal(null);
    const id = cursor.id!;
    expect(id.isZero(), 'server kept the cursor open').to.equal(false);
    await cursor.close();
    const kill = succeeded.find((event) => event.commandName === 'killCursors');
    expect(kill, 'killCursors sent and acknowledged').to.not.equal(undefined);
    expect(((kill!.reply as Document).cursorsKilled as unknown[]).map(String)).to.deep.equal([id.toString()]);
    const error = await rejection(() => ctx.db.command({ getMore: id, collection: 'cur_kill' }));
    expect(error.code).to.equal(43);
  });

  it('getMore on an unknown cursor id fails with CursorNotFound (code 43)', async () => {
    await seed('cur_unknown', 1);
    const error = await rejection(() => ctx.db.command({ getMore: Long.fromNumber(987654321), collection: 'cur_unknown' }));
    expect(error).to.be.instanceOf(MongoServerError);
    expect(error.code).to.equal(43);
  });

  it('countDocuments honours filter, skip and limit; estimatedDocumentCount counts all', async () => {
    await seed('cur_count', 40);
    const docs = ctx.db.collection('cur_count');
    expect(await docs.countDocuments()).to.equal(40);
    expect(await docs.countDocuments({ parity: 1 })).to.equal(20);
    expect(await docs.countDocuments({ parity: 1 }, { skip: 15 })).to.equal(5);
    expect(await docs.countDocuments({ i: { $lt: 30 } }, { limit: 7 })).to.equal(7);
    expect(await docs.countDocuments({ i: { $lt: 30 } }, { skip: 25, limit: 10 })).to.equal(5);
    expect(await docs.countDocuments({ i: -1 })).to.equal(0);
    expect(await docs.estimatedDocumentCount()).to.equal(40);
    expect(await ctx.db.collection('cur_count_missing').estimatedDocumentCount()).to.equal(0);
  });

  it('distinct returns each value once, with a filter, flattening arrays', async () => {
    const docs = ctx.db.collection('cur_distinct');
    await docs.insertMany([
      { role: 'admin', tags: ['a', 'b'], p: { city: 'Lyon' } }, { role: 'user', tags: ['b'], p: { city: 'Oslo' } },
      { role: 'user', tags: 'c', p: { city: 'Lyon' } }, { role: 'guest' },
    ]);
    expect((await docs.distinct('role')).sort()).to.deep.equal(['admin', 'guest', 'user']);
    expect((await docs.distinct('role', { role: { $ne: 'guest' } })).sort()).to.deep.equal(['admin', 'user']);
    expect((await docs.distinct('tags')).sort()).to.deep.equal(['a', 'b', 'c']);
    expect((await docs.distinct('p.city')).sort()).to.deep.equal(['Lyon', 'Oslo']);
    expect(await docs.distinct('nothing')).to.deep.equal([]);
  });
});
