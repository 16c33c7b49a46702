// The start-up migration that tags known devices with practices (src/store/migrations/device-practices.ts):
// a device remembered before devices were per practice gets its identity's practices (memberships,
// active or deactivated; never an invitation), so every sign-in's risk decision stays as it was. A
// device already tagged is left alone; a second run (or a run on an empty store) changes nothing.
import { expect } from 'chai';
import { Types, type Connection } from 'mongoose';
import { openConnection } from '../../../src/store/connection.js';
import { runStartupMigrations } from '../../../src/store/migrations/index.js';
import { tagDevicesWithPractices } from '../../../src/store/migrations/device-practices.js';
import { createModels, ensureIndexes, type Models } from '../../../src/store/models/index.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';

describe('memberships: known devices tagged with practices at start-up', function () {
  this.timeout(30_000);
  let store: StoreUnderTest;
  let connection: Connection;
  let models: Models;
  before(async () => {
    store = await storeUnderTest();
    connection = await openConnection(store.uri);
    models = createModels(connection);
    await ensureIndexes(models);
  });
  after(async () => {
    await connection.close();
    await store.close();
  });

  it('tags each untagged device with its identity\'s practices (not invitations), leaves tagged ones, and is idempotent', async () => {
    expect(await tagDevicesWithPractices(models), 'an empty store').to.deep.equal({ devices: 0 });
    const [A, B, C] = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];
    const [locum, single, nobody] = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];
    const at = new Date();
    await connection.collection('memberships').insertMany([
      { userId: locum, practiceId: A, role: 'clinician', status: 'active', createdAt: at, updatedAt: at },
      { userId: locum, practiceId: B, role: 'clinician', status: 'deactivated', createdAt: at, updatedAt: at },
      { userId: locum, practiceId: C, role: 'clinician', status: 'invited', createdAt: at, updatedAt: at },
      { userId: single, practiceId: B, role: 'staff', status: 'active', createdAt: at, updatedAt: at },
    ]);
    // Devices as they were stored before (no practiceIds), 1,100 of them (three batches), and one tagged since.
    const legacy = Array.from({ length: 1_100 }, (_, i) => ({ userId: [locum, single, nobody][i % 3]!, deviceHash: `h${i}`, label: 'Firefox on Windows', firstSeenAt: at, lastSeenAt: at }));
    await connection.collection('known_devices').insertMany([...legacy, { userId: locum, deviceHash: 'tagged', label: 'Safari on iOS', firstSeenAt: at, lastSeenAt: at, practiceIds: [A] }]);

    expect(await tagDevicesWithPractices(models)).to.deep.equal({ devices: 1_100 });
    const tags = async (userId: Types.ObjectId, hash?: string) => [...new Set((await models.KnownDevice.find({ userId, ...(hash ? { deviceHash: hash } : { deviceHash: { $ne: 'tagged' } }) }).lean())
      .map((device) => (device.practiceIds ?? ['missing']).map(String).sort().join(',')))];
    expect(await tags(locum)).to.deep.equal([[String(A), String(B)].sort().join(',')]);
    expect(await tags(single)).to.deep.equal([String(B)]);
    expect(await tags(nobody), 'an identity with no membership: known to no practice').to.deep.equal(['']);
    expect(await tags(locum, 'tagged'), 'a device tagged since is left as it is').to.deep.equal([String(A)]);

    // Run again (as every start and CLI command does): nothing to do.
    await runStartupMigrations(models);
    expect(await tagDevicesWithPractices(models)).to.deep.equal({ devices: 0 });
    expect(await models.KnownDevice.countDocuments({ practiceIds: { $exists: false } })).to.equal(0);
  });
});
