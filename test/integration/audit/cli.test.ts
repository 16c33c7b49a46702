// `audit verify` and `audit export` as operators run them: the real CLI in a child process against
// the test store (MONGODB_URI), with entries written by the app's own audit log.
import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { createAuditLog, type AuditLog } from '../../../src/audit/record.js';
import { openConnection } from '../../../src/store/connection.js';
import { createModels, ensureIndexes, type Models } from '../../../src/store/models/index.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';
import { cliEnv, expectOk, runCli } from '../cli/run-cli.js';
import { parseCsv } from './csv-reader.js';
import { testAuditKeys } from '../../helpers/audit-keys.js';

describe('audit: operator CLI', function () {
  this.timeout(30_000);
  let store: StoreUnderTest;
  let connection: Connection;
  let models: Models;
  let auditLog: AuditLog;
  let env: NodeJS.ProcessEnv;
  let practiceId: string;
  const cli = (args: string[]) => runCli(['audit', ...args], env);

  before(async () => {
    store = await storeUnderTest();
    connection = await openConnection(store.uri);
    models = createModels(connection);
    await ensureIndexes(models);
    auditLog = createAuditLog({ models, keys: testAuditKeys, now: Date.now });
    env = cliEnv({ MONGODB_URI: store.uri });
    practiceId = String((await models.Practice.create({ name: 'Riverside Family Medicine' }))._id);
    for (const userSub of ['dana', 'bob', 'eve']) {
      await auditLog.record({ event: 'signin.password.succeeded', outcome: 'success', practiceId, userSub, userAgent: '@evil' });
    }
  });
  after(async () => {
    await connection?.close();
    await store?.close();
  });

  it('verify exits 0 with the count when intact, export writes CSV, both are audited', async () => {
    const [verified, exported, help] = await Promise.all([cli(['verify']), cli(['export', '--practice', practiceId]), cli(['export', '--help'])]);
    expect(expectOk(verified).stdout).to.match(/^Audit log intact: [34] entries verified\.\nLast hash: [0-9a-f]{64}\n$/);
    const rows = parseCsv(expectOk(exported).stdout);
    expect(exported.stdout.endsWith('\r\n')).to.equal(true);
    expect(rows[0]![0]).to.equal('time');
    expect(rows.slice(1).map((row) => [row[2], row[4], row[7]])).to.deep.include.members([['dana', 'signin.password.succeeded', "'@evil"], ['', 'audit.exported', '']]);
    expect(expectOk(help).stdout).to.match(/^Usage: npm run cli -- audit export --practice ID \[options\]/);

    const events = await models.AuditEntry.find({ event: { $in: ['audit.verified', 'audit.exported'] } }).lean();
    expect(events.map((entry) => [entry.event, entry.actor?.sub]).sort()).to.deep.equal([['audit.exported', 'cli'], ['audit.verified', 'cli']]);
  });

  it('rejects a bad date (exit 2) and an unknown practice (exit 1)', async () => {
    const [badDate, unknown] = await Promise.all([
      cli(['export', '--practice', practiceId, '--from', 'yesterday']),
      cli(['export', '--practice', '0123456789abcdef01234567']),
    ]);
    expect(badDate).to.include({ code: 2, stdout: '' });
    expect(badDate.stderr).to.contain('--from must be an ISO date');
    expect(unknown).to.include({ code: 1, stdout: '', stderr: 'error: No practice with id 0123456789abcdef01234567.\n' });
  });

  it('verify exits 1 naming the first broken entry after one is edited in the store', async () => {
    await connection.db!.collection('audit_entries').updateOne({ seq: 2 }, { $set: { userSub: 'mallory' } });
    const result = await cli(['verify']);
    expect(result).to.include({ code: 1, stdout: '' });
    expect(result.stderr).to.match(/^error: Audit log chain broken at entry seq 2: hash_mismatch \(the entry was changed after it was written\); 1 entries before it are intact\.\n$/);
  });
});
