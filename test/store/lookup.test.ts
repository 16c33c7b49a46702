/**
 * `$lookup` through indexes (src/store/embedded/lookup.ts) answers exactly as mongod's equality
 * join: array local values match any element, a foreign array field matches an element, the
 * concise form's pipeline filters the joined documents, an uncorrelated pipeline joins the same
 * documents to every input, and a missing local field (which mongod matches against null and
 * missing foreign fields) still gets mongod's answer through the general path.
 */
import { expect } from 'chai';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded/index.js';

const quiet = { info(): void {}, warn(): void {} };

describe('embedded store: $lookup by equality', () => {
  let store: EmbeddedStore;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    store = await startEmbeddedStore({ logger: quiet });
    client = await new MongoClient(store.uriFor('lookup')).connect();
    db = client.db();
    await db.collection('records').createIndex({ kind: 1, uid: 1 });
    await db.collection('records').insertMany([
      { _id: 'Session:a' as never, kind: 'Session', uid: 'u1' },
      { _id: 'Interaction:b' as never, kind: 'Interaction', uid: 'u1' },
      { _id: 'Grant:g' as never, kind: 'Grant' },
      { _id: 'Code:c' as never, kind: 'Code', sessionUid: 'u1', grantId: 'g', tags: ['x', 'y'] },
      { _id: 'Code:d' as never, kind: 'Code' },
    ]);
    await db.collection('tags').insertMany([{ _id: 1 as never, name: 'x' }, { _id: 2 as never, name: ['y', 'z'] }, { _id: 3 as never, name: 'w' }, { _id: 4 as never }]);
  });
  after(async () => {
    await client?.close();
    await store?.close();
  });

  const run = (pipeline: object[]) => db.collection('records').aggregate(pipeline).toArray();

  it('joins on array local values and array foreign fields, with the concise pipeline filtering', async () => {
    const [code] = await run([
      { $match: { _id: 'Code:c' } },
      { $lookup: { from: 'tags', localField: 'tags', foreignField: 'name', as: 'joinedTags' } },
      { $lookup: { from: 'records', localField: 'sessionUid', foreignField: 'uid', pipeline: [{ $match: { kind: 'Session' } }], as: 'session' } },
      { $lookup: { from: 'records', localField: 'sessionUid', foreignField: 'uid', as: 'bothKinds' } },
    ]);
    expect(code!.joinedTags.map((tag: { _id: number }) => tag._id).sort()).to.deep.equal([1, 2]);
    expect(code!.session.map((doc: { _id: string }) => doc._id)).to.deep.equal(['Session:a']);
    expect(code!.bothKinds.map((doc: { _id: string }) => doc._id).sort()).to.deep.equal(['Interaction:b', 'Session:a']);
  });

  it('an uncorrelated pipeline joins the same documents to every input', async () => {
    const docs = await run([{ $match: { kind: 'Code' } }, { $lookup: { from: 'tags', pipeline: [{ $match: { _id: 3 } }], as: 'three' } }]);
    expect(docs.map((doc) => doc.three.map((tag: { _id: number }) => tag._id))).to.deep.equal([[3], [3]]);
  });

  it('a missing local field matches foreign documents whose field is missing or null, as on mongod', async () => {
    const [code] = await run([{ $match: { _id: 'Code:d' } }, { $lookup: { from: 'tags', localField: 'tags', foreignField: 'name', as: 'joined' } }]);
    expect(code!.joined.map((tag: { _id: number }) => tag._id)).to.deep.equal([4]);
  });
});
