// The memberships migration runs before every CLI command, not only at server start: an operator
// upgrading and running a command on a store that was never served sees each legacy user (one
// practice on the user document) with its membership. Both ways the CLI opens a store: its own
// (MONGODB_URI, or the embedded store in DATA_DIR) and the address published by a running
// provider's embedded store holding DATA_DIR.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Types, type Connection } from 'mongoose';
import { DATABASE_NAME, openConnection } from '../../../src/store/connection.js';
import { startEmbeddedStore } from '../../../src/store/embedded/index.js';
import { storeUnderTest } from '../../helpers/store.js';
import { cliEnv, expectOk, runCli } from '../cli/run-cli.js';

const quiet = { info() {}, warn() {} };

/** Users as the one-practice model stored them (practice, role, status and two-step on the user). */
async function insertLegacyUsers(connection: Connection, practiceId: string) {
  const users = [
    { _id: new Types.ObjectId(), sub: 'legacy-active', email: 'active@legacy.test', name: 'Active Legacy', practiceId: new Types.ObjectId(practiceId), role: 'clinician', active: true, mfaEnabled: true, mfaChannel: 'email', createdAt: new Date(Date.UTC(2025, 5, 1)) },
    { _id: new Types.ObjectId(), sub: 'legacy-off', email: 'off@legacy.test', name: 'Off Legacy', practiceId: new Types.ObjectId(practiceId), role: 'staff', active: false, mfaEnabled: false, mfaChannel: 'email', createdAt: new Date(Date.UTC(2025, 6, 1)) },
  ];
  await connection.collection('users').insertMany(users);
  return users;
}

async function legacyFieldsLeft(connection: Connection): Promise<number> {
  return connection.collection('users').countDocuments({ $or: ['practiceId', 'role', 'active', 'mfaEnabled'].map((field) => ({ [field]: { $exists: true } })) });
}

describe('memberships: the migration runs before CLI commands', function () {
  this.timeout(60_000);

  it('a store never served (MONGODB_URI): users deactivate finds the legacy user\'s membership and deactivates it there', async () => {
    const store = await storeUnderTest();
    const connection = await openConnection(store.uri);
    try {
      const env = cliEnv({ MONGODB_URI: store.uri });
      const practice = JSON.parse(expectOk(await runCli(['practices', 'create', '--name', 'Legacy Clinic', '--json'], env)).stdout) as { id: string };
      const [active, off] = await insertLegacyUsers(connection, practice.id);
      expect(await connection.collection('memberships').countDocuments()).to.equal(0);

      expect(expectOk(await runCli(['users', 'deactivate', '--email', active!.email], env)).stdout).to.equal('Deactivated active@legacy.test in Legacy Clinic\n');
      const memberships = await connection.collection('memberships').find({}, { projection: { _id: 0, userId: 1, practiceId: 1, role: 1, status: 1, mfaEnabled: 1 } }).sort({ role: 1 }).toArray();
      expect(memberships.map((m) => ({ ...m, userId: String(m.userId), practiceId: String(m.practiceId) }))).to.deep.equal([
        { userId: String(active!._id), practiceId: practice.id, role: 'clinician', status: 'deactivated', mfaEnabled: true },
        { userId: String(off!._id), practiceId: practice.id, role: 'staff', status: 'deactivated', mfaEnabled: false },
      ]);
      expect(await legacyFieldsLeft(connection)).to.equal(0);
    } finally {
      await connection.close();
      await store.close();
    }
  });

  it('the running provider\'s store (DATA_DIR held, address published): memberships list shows the legacy user\'s membership', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'cli-legacy-'));
    const dataDir = join(tmp, 'data');
    const running = await startEmbeddedStore({ dataDir, logger: quiet });
    const connection = await openConnection(running.uriFor(DATABASE_NAME));
    try {
      const env = cliEnv({ DATA_DIR: dataDir });
      const practice = JSON.parse(expectOk(await runCli(['practices', 'create', '--name', 'Held Clinic', '--json'], env)).stdout) as { id: string };
      const [active] = await insertLegacyUsers(connection, practice.id);
      const rows = JSON.parse(expectOk(await runCli(['memberships', 'list', '--email', active!.email, '--json'], env)).stdout) as Array<Record<string, unknown>>;
      expect(rows.map(({ practiceId, practice: name, role, status }) => ({ practiceId, name, role, status }))).to.deep.equal([{ practiceId: practice.id, name: 'Held Clinic', role: 'clinician', status: 'active' }]);
      expect(await legacyFieldsLeft(connection)).to.equal(0);
    } finally {
      await connection.close();
      await running.close();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
