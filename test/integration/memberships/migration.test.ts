// The start-up migration on a copy of real-shaped data: several practices, active and deactivated
// users, two-step on and off; run twice; interrupted half-way (some users migrated, one with its
// membership written but its fields not yet unset), then run again.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { openConnection } from '../../../src/store/connection.js';
import { createModels, ensureIndexes, type Models } from '../../../src/store/models/index.js';
import { migrateToMemberships } from '../../../src/store/migrations/memberships.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';

interface Legacy { _id: Types.ObjectId; sub: string; email: string; name: string; practiceId: Types.ObjectId; role: string; active: boolean; mfaEnabled: boolean; createdAt: Date }

describe('memberships migration (start-up, idempotent)', function () {
  this.timeout(30_000);
  let store: StoreUnderTest;
  let models: Models;
  let close: () => Promise<void>;
  const practices = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];

  function legacyUsers(): Legacy[] {
    return Array.from({ length: 1_203 }, (_, i) => ({
      _id: new Types.ObjectId(),
      sub: `sub-${i}`,
      email: `user${i}@clinic${i % 3}.example`,
      name: `User ${i}`,
      practiceId: practices[i % 3]!,
      role: ['admin', 'clinician', 'staff'][i % 3]!,
      active: i % 7 !== 0,
      mfaEnabled: i % 5 === 0,
      createdAt: new Date(Date.UTC(2025, 0, 1 + (i % 300))),
    }));
  }

  beforeEach(async () => {
    store = await storeUnderTest();
    const connection = await openConnection(store.uri);
    models = createModels(connection);
    await ensureIndexes(models);
    close = async () => { await connection.close(); await store.close(); };
  });
  afterEach(() => close());

  async function expectMigrated(users: Legacy[]) {
    const memberships = await models.Membership.find().lean();
    expect(memberships).to.have.length(users.length);
    const byUser = new Map(memberships.map((m) => [String(m.userId), m]));
    for (const user of users) {
      const m = byUser.get(String(user._id))!;
      expect(String(m.practiceId)).to.equal(String(user.practiceId));
      expect(m.role).to.equal(user.role);
      expect(m.status).to.equal(user.active ? 'active' : 'deactivated');
      expect(m.mfaEnabled).to.equal(user.mfaEnabled);
    }
    const raw = await models.User.collection.countDocuments({ $or: [{ practiceId: { $exists: true } }, { role: { $exists: true } }, { active: { $exists: true } }, { mfaEnabled: { $exists: true } }] });
    expect(raw, 'no user keeps a legacy field').to.equal(0);
    expect(await models.User.collection.countDocuments(), 'identities are kept').to.equal(users.length);
  }

  it('makes one membership per legacy user from its practice, role, active and two-step, unsets the fields, and a second run changes nothing', async () => {
    const users = legacyUsers();
    await models.User.collection.insertMany(users);
    const first = await migrateToMemberships(models);
    expect(first).to.deep.equal({ users: users.length, created: users.length });
    await expectMigrated(users);
    const before = await models.Membership.find().sort({ _id: 1 }).lean();
    const second = await migrateToMemberships(models);
    expect(second).to.deep.equal({ users: 0, created: 0 });
    expect(await models.Membership.find().sort({ _id: 1 }).lean()).to.deep.equal(before);
  });

  it('binds each legacy user\'s grants to the practice they were issued in (once; a rerun changes nothing)', async () => {
    const users = legacyUsers().slice(0, 30);
    await models.User.collection.insertMany(users);
    const expiresAt = new Date(Date.UTC(2026, 11, 30));
    const grants = users.slice(0, 10).map((user, i) => ({
      _id: `Grant:legacy-${i}`, kind: 'Grant', accountId: user.sub, expiresAt,
      payload: JSON.stringify({ accountId: user.sub, clientId: 'charting', kind: 'Grant' }),
    }));
    await models.OidcRecord.collection.insertMany(grants as never);
    await migrateToMemberships(models);
    const entries = await models.PracticeEntry.find().sort({ _id: 1 }).lean();
    expect(entries).to.have.length(10);
    for (const [i, user] of users.slice(0, 10).entries()) {
      const entry = entries.find((found) => found._id === `legacy-${i}`)!;
      expect(entry).to.include({ accountId: user.sub, clientId: 'charting' });
      expect(String(entry.practiceId)).to.equal(String(user.practiceId));
      expect(entry.expiresAt.getTime()).to.equal(expiresAt.getTime());
    }
    await migrateToMemberships(models);
    expect(await models.PracticeEntry.find().sort({ _id: 1 }).lean()).to.deep.equal(entries);
  });

  it('finishes a run interrupted half-way (memberships written for some, fields unset for fewer) without duplicates or overwriting a later change', async () => {
    const users = legacyUsers();
    await models.User.collection.insertMany(users);
    // The state a crash leaves: the first 400 fully migrated, the next 100 with a membership but their fields still set.
    const done = users.slice(0, 500);
    await models.Membership.collection.insertMany(done.map((u) => ({
      userId: u._id, practiceId: u.practiceId, role: u.role, status: u.active ? 'active' : 'deactivated', mfaEnabled: u.mfaEnabled, createdAt: u.createdAt, updatedAt: u.createdAt,
    })));
    await models.User.collection.updateMany({ _id: { $in: users.slice(0, 400).map((u) => u._id) } }, { $unset: { practiceId: '', role: '', active: '', mfaEnabled: '' } });
    // Meanwhile (between the crash and the restart) an admin changed one half-migrated membership: it stays.
    const changed = users[450]!;
    await models.Membership.updateOne({ userId: changed._id }, { $set: { role: 'admin' } });

    const rerun = await migrateToMemberships(models);
    expect(rerun).to.deep.equal({ users: users.length - 400, created: users.length - 500 });
    await expectMigrated(users.map((u) => (u === changed ? { ...u, role: 'admin' } : u)));
  });

  it('afterwards the unique (user, practice) index refuses a second membership in the same practice', async () => {
    const [user] = legacyUsers();
    await models.User.collection.insertOne(user!);
    await migrateToMemberships(models);
    let error: unknown;
    try {
      await models.Membership.create({ userId: user!._id, practiceId: user!.practiceId, role: 'staff', status: 'active' });
    } catch (err) { error = err; }
    expect((error as { code?: number })?.code).to.equal(11000);
  });
});
