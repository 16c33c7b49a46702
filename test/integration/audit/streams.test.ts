// What leaves the database for the operator and the SIEM: one JSON log line per audit entry (the
// stable `audit` schema, the CSV's fields), and checkpoints of the chain's head in the log, a
// file and a webhook. A chain cut after a checkpoint is never blessed by the next one.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { checkCheckpoint, checkpointsIn } from '../../../src/audit/checkpoint.js';
import { CSV_COLUMNS, entryCells } from '../../../src/audit/export.js';
import { AUDIT_LOG_SCHEMA, type AuditLogLine } from '../../../src/audit/siem.js';
import { verifyChain } from '../../../src/audit/verify.js';
import type { LogFields } from '../../../src/observability/logger.js';
import { testAuditKeys } from '../../helpers/audit-keys.js';
import { startServer, type TestServer } from '../../helpers/server.js';

describe('audit: SIEM lines and published checkpoints', function () {
  this.timeout(30_000);
  let server: TestServer;
  let dir: string;
  let hook: Server;
  const received: unknown[] = [];
  const lines: Array<{ level: string; message: string; fields?: LogFields }> = [];
  const logger = {
    info: (message: string, fields?: LogFields) => void lines.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    warn: (message: string, fields?: LogFields) => void lines.push({ level: 'warn', message, ...(fields ? { fields } : {}) }),
    error: (message: string, fields?: LogFields) => void lines.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-streams-'));
    hook = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    server = await startServer({
      logger,
      env: { AUDIT_CHECKPOINT_FILE: join(dir, 'checkpoints.jsonl'), AUDIT_CHECKPOINT_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/anchors` },
    });
  });
  after(async () => {
    await server?.close();
    hook?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('emits every entry as one `audit` log line with the CSV fields and its place in the chain', async () => {
    const practice = await server.createPractice();
    const entry = await server.idp.audit.record({
      event: 'signin.password.failed', outcome: 'failure', practiceId: practice._id.toHexString(), userSub: 'dana',
      actor: { sub: 'cli', role: 'operator' }, ip: '203.0.113.7', userAgent: 'Browser/1', clientId: 'charting', reasons: ['wrong_password'], details: { password: 'hunter2', n: 1 },
    });
    const line = lines.find((candidate) => (candidate.fields?.audit as AuditLogLine | undefined)?.seq === entry.seq)!;
    expect(line).to.include({ level: 'info', message: 'audit entry' });
    const audit = line.fields!.audit as AuditLogLine;
    expect(audit).to.deep.equal({
      schema: AUDIT_LOG_SCHEMA, time: entry.at.toISOString(), practice: practice._id.toHexString(), user: 'dana', actor: 'cli', actorRole: 'operator',
      event: 'signin.password.failed', outcome: 'failure', ip: '203.0.113.7', userAgent: 'Browser/1', client: 'charting',
      reasons: ['wrong_password'], details: { password: '[redacted]', n: 1 }, seq: entry.seq, hash: entry.hash, kid: testAuditKeys.current.id,
    });
    // The same values as the CSV row, column by column.
    const cells = entryCells(entry);
    const byColumn = Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, cells[i]]));
    expect(byColumn).to.deep.equal({
      time: audit.time, practice: audit.practice, user: audit.user, actor: `${audit.actor} (${audit.actorRole})`, event: audit.event, outcome: audit.outcome,
      ip: audit.ip, 'user agent': audit.userAgent, client: audit.client, reasons: audit.reasons.join(' '), details: JSON.stringify(audit.details),
    });
    expect(JSON.stringify(lines)).not.to.include('hunter2');
  });

  it('publishes a checkpoint to the log, the file and the webhook, which verify reaches', async () => {
    const published = await server.idp.auditCheckpoints.publish();
    expect(published).to.not.equal(null);
    const logged = lines.filter((line) => line.message === 'audit checkpoint').at(-1)!;
    expect(logged.fields!.auditCheckpoint).to.deep.equal(published);
    const filed = checkpointsIn(await readFile(join(dir, 'checkpoints.jsonl'), 'utf8'));
    expect(filed).to.deep.equal([published]);
    expect(received).to.deep.equal([published]);
    expect(checkCheckpoint(filed[0], testAuditKeys)).to.deep.equal({ ok: true, checkpoint: published });
    expect(await verifyChain({ models: server.models, keys: testAuditKeys }, { checkpoints: [published!] })).to.include({ ok: true, checkpoints: 1 });
  });

  it('after the newest entries are cut, publishes nothing and logs the break instead', async () => {
    const last = (await server.idp.auditCheckpoints.publish())!;
    await server.connection.db!.collection('audit_entries').deleteMany({ seq: { $gte: last.seq } });
    await server.idp.audit.record({ event: 'session.logout', outcome: 'success' });
    const before = received.length;
    expect(await server.idp.auditCheckpoints.publish()).to.equal(null);
    expect(received).to.have.length(before);
    expect(lines.at(-1)).to.deep.include({ level: 'error', message: 'audit chain no longer reaches the last checkpoint: entries were removed or rewritten; run "audit verify"' });
  });
});
