import { expect } from 'chai';
import { Binary, ObjectId } from 'mongodb';
import { connectToStoreUnderTest } from './connect.js';

describe('store conformance: value types and isolation', () => {
  const ctx = connectToStoreUnderTest();

  it('round-trips Date, ObjectId, Binary, nested documents, arrays and scalars', async () => {
    const docs = ctx.db.collection('types_round_trip');
    const original = {
      at: new Date('2024-02-29T12:34:56.789Z'),
      ref: new ObjectId(),
      bytes: Buffer.from([0, 1, 2, 254, 255]),
      nested: { deeper: { list: [1, 'two', { three: 3 }], empty: {} } },
      matrix: [[1, 2], [3]],
      int: 42, float: 0.1 + 0.2, negative: -7, big: 2 ** 40,
      yes: true, no: false, nothing: null, text: 'héllo ✓ 日本',
    };
    const { insertedId } = await docs.insertOne({ ...original });
    const stored = await docs.findOne({ _id: insertedId });
    expect(stored!.bytes).to.be.instanceOf(Binary);
    expect(Buffer.from((stored!.bytes as Binary).buffer)).to.deep.equal(original.bytes);
    const { _id, bytes, ...rest } = stored!;
    const { bytes: _bytes, ...expected } = original;
    expect(rest).to.deep.equal(expected);
    expect(rest.ref).to.be.instanceOf(ObjectId);
    expect(rest.at).to.be.instanceOf(Date);
  });

  it('queries and sorts by ObjectId, Date and Binary values', async () => {
    const docs = ctx.db.collection('types_query');
    const ids = [new ObjectId(), new ObjectId(), new ObjectId()];
    const day = (d: number) => new Date(Date.UTC(2024, 0, d));
    await docs.insertMany(ids.map((owner, i) => ({ owner, at: day(i + 1), key: new Binary(Buffer.from([i])), i })));
    expect((await docs.findOne({ owner: ids[1] }))?.i).to.equal(1);
    expect((await docs.find({ owner: { $in: [ids[0], ids[2]] } }).sort({ i: 1 }).toArray()).map((d) => d.i)).to.deep.equal([0, 2]);
    expect((await docs.find({ at: { $lt: day(3) } }).sort({ at: -1 }).toArray()).map((d) => d.i)).to.deep.equal([1, 0]);
    expect((await docs.findOne({ key: new Binary(Buffer.from([2])) }))?.i).to.equal(2);
  });

  it('stored documents do not alias the caller\'s objects or earlier results', async () => {
    const docs = ctx.db.collection<{ profile: { name: string }; tags: string[] }>('types_alias');
    const input = { profile: { name: 'ada' }, tags: ['a'] };
    const { insertedId } = await docs.insertOne(input);
    input.profile.name = 'mutated';
    input.tags.push('b');
    const first = await docs.findOne({ _id: insertedId });
    expect(first).to.deep.equal({ _id: insertedId, profile: { name: 'ada' }, tags: ['a'] });
    first!.profile.name = 'changed-after-read';
    const before = await docs.findOneAndUpdate({ _id: insertedId }, { $set: { 'profile.name': 'bob' }, $push: { tags: 'c' } });
    expect(before).to.deep.equal({ _id: insertedId, profile: { name: 'ada' }, tags: ['a'] });
    expect(await docs.findOne({ _id: insertedId })).to.deep.equal({ _id: insertedId, profile: { name: 'bob' }, tags: ['a', 'c'] });
  });
});
