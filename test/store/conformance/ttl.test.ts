import { expect } from 'chai';
import type { Collection, Document } from 'mongodb';
import type { FakeClock } from '../../helpers/clock.js';
import { connectToStoreUnderTest } from './connect.js';

const DAY_MS = 24 * 3600_000;

describe('store conformance: TTL indexes', () => {
  const ctx = connectToStoreUnderTest();

  async function labels(docs: Collection): Promise<string[]> {
    return (await docs.find({}).toArray()).map((d) => String(d.label)).sort();
  }

  /** Visible through find, findOne and countDocuments: an expired document is still read until the monitor runs. */
  async function expectVisible(docs: Collection, expected: string[]): Promise<void> {
    expect(await labels(docs)).to.deep.equal([...expected].sort());
    expect(await docs.countDocuments()).to.equal(expected.length);
    for (const label of ['soon', 'old']) {
      const found = await docs.findOne({ label });
      if (expected.includes(label)) expect(found, label).to.not.equal(null);
      else expect(found, label).to.equal(null);
    }
  }

  it('with { expiresAt: 1 } and expireAfterSeconds 0, a past expiresAt stays readable until the monitor removes it', async function () {
    const docs = ctx.db.collection('ttl_expires_at');
    await docs.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    const clock = ctx.store.clock;
    const now = clock ? clock.now() : Date.now();
    const keep: Document[] = [
      { label: 'later', expiresAt: new Date(now + 30 * DAY_MS) },
      { label: 'not-a-date', expiresAt: 'yesterday' },
      { label: 'no-field' },
    ];
    if (!clock) {
      this.timeout(90_000);
      await docs.insertMany([{ label: 'soon', expiresAt: new Date(now - 60_000) }, ...keep]);
      await untilGone(docs, 'soon');
      expect(await labels(docs)).to.deep.equal(['later', 'no-field', 'not-a-date']);
      return;
    }
    await docs.insertMany([{ label: 'soon', expiresAt: new Date(now + 1000) }, ...keep]);
    await expectVisible(docs, ['soon', 'later', 'not-a-date', 'no-field']);
    clock.advance(1001);
    await expectVisible(docs, ['soon', 'later', 'not-a-date', 'no-field']);
    await expectSweep(clock, docs, 1, ['later', 'not-a-date', 'no-field']);
  });

  it('with { createdAt: 1 } and expireAfterSeconds 3600, a document lives exactly one hour', async function () {
    const docs = ctx.db.collection('ttl_created_at');
    await docs.createIndex({ createdAt: 1 }, { expireAfterSeconds: 3600 });
    const clock = ctx.store.clock;
    const now = clock ? clock.now() : Date.now();
    if (!clock) {
      this.timeout(90_000);
      await docs.insertMany([{ label: 'old', createdAt: new Date(now - 2 * 3600_000) }, { label: 'fresh', createdAt: new Date(now) }]);
      await untilGone(docs, 'old');
      expect(await labels(docs)).to.deep.equal(['fresh']);
      return;
    }
    await docs.insertMany([{ label: 'old', createdAt: new Date(now) }, { label: 'fresh', createdAt: new Date(now + 2 * 3600_000) }]);
    clock.advance(3599_000);
    await expectVisible(docs, ['old', 'fresh']);
    expect(ctx.store.embedded!.sweepExpired()).to.equal(0);
    clock.advance(2000);
    await expectVisible(docs, ['old', 'fresh']);
    await expectSweep(clock, docs, 1, ['fresh']);
  });

  it('an expired document keeps its unique key (a second insert is E11000) until the monitor deletes it', async function () {
    const docs = ctx.db.collection('ttl_unique');
    await docs.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    await docs.createIndex({ email: 1 }, { unique: true });
    const clock = ctx.store.clock;
    const now = clock ? clock.now() : Date.now();
    await docs.insertOne({ _id: 'a' as never, email: 'e@x.test', expiresAt: new Date(now - (clock ? 1 : 120_000)) });
    if (clock) clock.advance(1);
    const byKey = await docs.insertOne({ email: 'e@x.test', expiresAt: new Date(now + DAY_MS) }).catch((error: unknown) => error);
    expect(byKey).to.have.property('code', 11000);
    const byId = await docs.insertOne({ _id: 'a' as never, email: 'other@x.test' }).catch((error: unknown) => error);
    expect(byId).to.have.property('code', 11000);
    const upserted = await docs.updateOne({ _id: 'a' as never }, { $set: { seen: true } }, { upsert: true });
    expect(upserted.matchedCount, 'an update still matches the expired document').to.equal(1);
    if (!clock) {
      this.timeout(90_000);
      await untilGone(docs, 'e@x.test', 'email');
    } else {
      expect(ctx.store.embedded!.sweepExpired()).to.equal(1);
    }
    await docs.insertOne({ email: 'e@x.test', expiresAt: new Date(now + DAY_MS) });
    expect(await docs.countDocuments({ email: 'e@x.test' })).to.equal(1);
  });

  async function expectSweep(clock: FakeClock, docs: Collection, removed: number, left: string[]): Promise<void> {
    expect(ctx.store.embedded!.sweepExpired(), 'first sweep').to.equal(removed);
    expect(ctx.store.embedded!.sweepExpired(), 'second sweep').to.equal(0);
    // Gone for good: turning the clock back does not bring a swept document back.
    const at = clock.now();
    clock.set(at - 10 * DAY_MS);
    try {
      expect(await labels(docs)).to.deep.equal([...left].sort());
    } finally {
      clock.set(at);
    }
  }
});

/** A real mongod's TTL monitor runs every 60 s: poll once a second for up to 75 s. */
async function untilGone(docs: Collection, label: string, field = 'label'): Promise<void> {
  const deadline = Date.now() + 75_000;
  while ((await docs.countDocuments({ [field]: label })) > 0) {
    if (Date.now() > deadline) throw new Error(`TTL monitor did not remove "${label}" within 75 s`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
