// `audit verify | export | archive | checkpoint` as operators run them: the real CLI in a child
// process against the test store (MONGODB_URI), with entries written by the app's own audit log.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { createAuditLog, type AuditLog } from '../../../src/audit/record.js';
import { openConnection } from '../../../src/store/connection.js';
import { createModels, ensureIndexes, type Models } from '../../../src/store/models/index.js';
import { testAuditKeys } from '../../helpers/audit-keys.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';
import { cliEnv, expectOk, runCli } from '../cli/run-cli.js';
import { parseCsv } from './csv-reader.js';

describe('audit: operator CLI', function () {
  // Each case runs the real CLI (a child process, about 4 s on a loaded machine) up to three times in a row.
  this.timeout(90_000);
  let store: StoreUnderTest;
  let connection: Connection;
  let models: Models;
  let auditLog: AuditLog;
  let env: NodeJS.ProcessEnv;
  let practiceId: string;
  let dir: string;
  const cli = (args: string[]) => runCli(['audit', ...args], env);
  const entries = () => connection.db!.collection('audit_entries');

  before(async () => {
    store = await storeUnderTest();
    connection = await openConnection(store.uri);
    models = createModels(connection);
    await ensureIndexes(models);
    auditLog = createAuditLog({ models, keys: testAuditKeys, now: Date.now });
    env = cliEnv({ MONGODB_URI: store.uri });
    dir = await mkdtemp(join(tmpdir(), 'audit-cli-'));
    practiceId = String((await models.Practice.create({ name: 'Riverside Family Medicine' }))._id);
    for (const userSub of ['dana', 'bob', 'eve']) {
      await auditLog.record({ event: 'signin.password.succeeded', outcome: 'success', practiceId, userSub, userAgent: '@evil' });
    }
  });
  after(async () => {
    await connection?.close();
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('verify exits 0 with the count when intact, export writes CSV, both are audited', async () => {
    const [verified, exported, help] = await Promise.all([cli(['verify']), cli(['export', '--practice', practiceId]), cli(['export', '--help'])]);
    expect(expectOk(verified).stdout).to.match(/^Audit log intact: [34] entries verified\.\nLast hash: [0-9a-f]{64} \(seq [34]\)\n$/);
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

  it('a checkpoint printed now is reached by verify; after the newest entries are deleted, verify --checkpoint fails (truncated)', async () => {
    const printed = expectOk(await cli(['checkpoint'])).stdout.trim();
    const checkpoint = JSON.parse(printed) as { seq: number };
    const file = join(dir, 'checkpoints.jsonl');
    // As an operator keeps them: the provider's JSON log lines, filed as they came.
    await writeFile(file, `{"level":30,"msg":"listening"}\n${JSON.stringify({ level: 30, msg: 'audit checkpoint', auditCheckpoint: checkpoint })}\n`);
    expect(expectOk(await cli(['verify', '--checkpoint', file])).stdout).to.contain('Checkpoints reached: 1 of 1.');

    await entries().deleteMany({ seq: { $gte: checkpoint.seq - 1 } });
    const before = await entries().countDocuments();
    const forged = JSON.stringify({ ...checkpoint, seq: 1 });
    const [anchored, inline, bad] = await Promise.all([cli(['verify', '--checkpoint', file]), cli(['verify', '--checkpoint', printed]), cli(['verify', '--checkpoint', forged])]);
    for (const result of [anchored, inline]) {
      expect(result).to.include({ code: 1, stdout: '' });
      expect(result.stderr).to.equal(`error: Audit log chain broken at entry seq ${checkpoint.seq - 1}: truncated (the newest entries were removed: the chain no longer reaches a published checkpoint); ${checkpoint.seq - 2} entries before it are intact.\n`);
    }
    // The failing verifies wrote nothing. Without the checkpoint the shortened chain links
    // perfectly: only the checkpoint shows the cut (and that verify records itself).
    expect(await entries().countDocuments()).to.equal(before);
    expect(expectOk(await cli(['verify'])).stdout).to.match(/^Audit log intact/);
    expect(await entries().countDocuments()).to.equal(before + 1);
    expect(bad).to.include({ code: 1, stderr: `error: A checkpoint in ${forged} is not valid: its MAC does not match (the checkpoint was altered).\n` });
  });

  it('verify on a broken chain names the first broken entry and writes nothing onto it', async () => {
    const last = await entries().find({}).sort({ seq: -1 }).limit(1).next();
    await entries().updateOne({ seq: last!.seq }, { $set: { userSub: 'mallory' } });
    const before = await entries().countDocuments();
    const result = await cli(['verify']);
    expect(result).to.include({ code: 1, stdout: '' });
    expect(result.stderr).to.match(new RegExp(`^error: Audit log chain broken at entry seq ${last!.seq}: hash_mismatch \\(the entry was changed after it was written\\); \\d+ entries before it are intact\\.\\n$`));
    expect(await entries().countDocuments()).to.equal(before);
    expect(await entries().countDocuments({ event: 'audit.verified', seq: { $gt: last!.seq } })).to.equal(0);
    // Archiving refuses to launder it either.
    const archived = await cli(['archive', '--before', '2999-01-01', '--out', join(dir, 'never.jsonl')]);
    expect(archived.code).to.equal(1);
    expect(archived.stderr).to.contain('nothing was archived');
    expect(await entries().countDocuments()).to.equal(before);
    await entries().deleteOne({ seq: last!.seq });
  });
});

describe('audit: archive then verify', function () {
  this.timeout(90_000);
  let store: StoreUnderTest;
  let connection: Connection;
  let models: Models;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const cli = (args: string[]) => runCli(['audit', ...args], env);
  const entries = () => connection.db!.collection('audit_entries');

  before(async () => {
    store = await storeUnderTest();
    connection = await openConnection(store.uri);
    models = createModels(connection);
    await ensureIndexes(models);
    env = cliEnv({ MONGODB_URI: store.uri });
    dir = await mkdtemp(join(tmpdir(), 'audit-archive-'));
    let now = Date.parse('2029-12-31T23:59:57Z');
    const auditLog = createAuditLog({ models, keys: testAuditKeys, now: () => now });
    for (let i = 0; i < 6; i += 1) {
      await auditLog.record({ event: 'session.logout', outcome: 'success', userSub: `u${i}` });
      now += 1000; // three in 2029, three in 2030
    }
  });
  after(async () => {
    await connection?.close();
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('moves the older entries to a file that verifies on its own; the rest verifies from its last hash', async () => {
    const out = join(dir, 'audit-2029.jsonl');
    const archived = expectOk(await cli(['archive', '--before', '2030-01-01', '--out', out])).stdout;
    expect(archived).to.match(/^Archived 3 entries \(seq 1\.\.3\) to .*audit-2029\.jsonl\.\nLast hash: [0-9a-f]{64}\nFile SHA-256: [0-9a-f]{64}\n$/);
    const remaining = await entries().find({}).sort({ seq: 1 }).toArray();
    expect(remaining.map((entry) => entry.seq)).to.deep.equal([4, 5, 6, 7]);
    expect(remaining[3]).to.deep.include({ event: 'audit.archived', details: { firstSeq: 1, throughSeq: 3, lastHash: remaining[0]!.prevHash, count: 3, sha256: /File SHA-256: ([0-9a-f]{64})/.exec(archived)![1] } });

    const [live, file] = await Promise.all([cli(['verify']), cli(['verify', '--archive', out])]);
    expect(expectOk(live).stdout).to.match(/^Audit log intact: 4 entries verified \(from seq 4; older ones are archived\)\./);
    expect(expectOk(file).stdout).to.match(/^Archive intact: entries 1\.\.3 \(3\) verified\.\nLast hash: [0-9a-f]{64}\n$/);

    // An entry changed inside the archive file is found there; the header cannot be re-sealed.
    const lines = (await readFile(out, 'utf8')).split('\n');
    const edited = join(dir, 'edited.jsonl');
    await writeFile(edited, [lines[0], lines[1]!.replace('"u0"', '"mallory"'), ...lines.slice(2)].join('\n'));
    const resealed = join(dir, 'resealed.jsonl');
    const header = JSON.parse(lines[0]!) as { count: number };
    await writeFile(resealed, [JSON.stringify({ ...header, count: 2 }), ...lines.slice(1, 3)].join('\n'));
    const [bad, badHeader] = await Promise.all([cli(['verify', '--archive', edited]), cli(['verify', '--archive', resealed])]);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain('broken at entry seq 1: hash_mismatch');
    expect(badHeader.stderr).to.contain('the header was altered');
  });

  it('deleting the oldest live entries is not an archive: the chain reports them missing', async () => {
    await entries().deleteOne({ seq: 4 });
    const result = await cli(['verify']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('broken at entry seq 4: missing_seq');
  });
});
