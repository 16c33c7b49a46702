// CSV export against a real store: the practice's entries only, newest first, parsed back as a
// spreadsheet would; the export is audited first, and fails whole when that cannot be written.
import { expect } from 'chai';
import { CSV_COLUMNS, exportAuditCsv } from '../../../src/audit/export.js';
import { AuditWriteError } from '../../../src/audit/record.js';
import { parseCsv } from './csv-reader.js';
import { auditFixture, rawEntries, type AuditFixture } from './fixture.js';

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe('audit: CSV export', () => {
  let fx: AuditFixture;
  before(async () => {
    fx = await auditFixture();
    await fx.auditLog.record({
      event: 'signin.password.failed', outcome: 'failure', practiceId: fx.practiceA, userSub: 'dana', ip: '203.0.113.7',
      userAgent: '=HYPERLINK("http://evil.example","click"), "quoted"', clientId: 'charting', reasons: ['wrong_password'],
    });
    fx.clock.advance(60_000);
    await fx.auditLog.record({ event: 'signin.password.succeeded', outcome: 'success', practiceId: fx.practiceB, userSub: 'bob' });
    fx.clock.advance(60_000);
    await fx.auditLog.record({
      event: 'admin.user.mfa_changed', outcome: 'success', practiceId: fx.practiceA, userSub: 'dana', actor: { sub: 'admin-1', role: 'admin' },
      details: { before: { mfaEnabled: false }, after: { mfaEnabled: true, channel: 'sms' } },
    });
    fx.clock.advance(60_000);
  });
  after(async () => fx?.close());

  it("exports one practice's entries newest first, records audit.exported first, and neutralises formulas", async () => {
    const rows = parseCsv(await collect(await exportAuditCsv({ models: fx.models, auditLog: fx.auditLog }, { practiceId: fx.practiceA }, {
      userSub: 'admin-1', ip: '198.51.100.4', userAgent: 'AdminBrowser/1',
    })));
    expect(rows[0]).to.deep.equal([...CSV_COLUMNS]);
    expect(rows.slice(1).map((row) => row[4])).to.deep.equal(['audit.exported', 'admin.user.mfa_changed', 'signin.password.failed']);
    expect(rows.slice(1).every((row) => row[1] === fx.practiceA && row.length === CSV_COLUMNS.length)).to.equal(true);

    const [exported, mfa, failed] = rows.slice(1) as [string[], string[], string[]];
    expect(exported.slice(0, 9)).to.deep.equal(['2030-01-01T00:03:00.000Z', fx.practiceA, 'admin-1', '', 'audit.exported', 'success', '198.51.100.4', 'AdminBrowser/1', '']);
    expect(JSON.parse(exported[10]!)).to.deep.equal({ format: 'csv', filter: {} });
    expect(mfa.slice(2, 4)).to.deep.equal(['dana', 'admin-1 (admin)']);
    expect(JSON.parse(mfa[10]!)).to.deep.equal({ before: { mfaEnabled: false }, after: { mfaEnabled: true, channel: 'sms' } });
    expect(failed).to.deep.equal([
      '2030-01-01T00:00:00.000Z', fx.practiceA, 'dana', '', 'signin.password.failed', 'failure', '203.0.113.7',
      `'=HYPERLINK("http://evil.example","click"), "quoted"`, 'charting', 'wrong_password', '',
    ]);
  });

  it('applies the filter (time range) and records it in the audit.exported entry', async () => {
    const from = new Date(Date.UTC(2030, 0, 1, 0, 1));
    const text = await collect(await exportAuditCsv({ models: fx.models, auditLog: fx.auditLog }, { practiceId: fx.practiceA, from, to: new Date(Date.UTC(2030, 0, 1, 0, 3)) }, { actor: { sub: 'cli' } }));
    expect(parseCsv(text).slice(1).map((row) => row[4])).to.deep.equal(['admin.user.mfa_changed']);
    const audit = await rawEntries(fx).find({ event: 'audit.exported' }).sort({ seq: -1 }).limit(1).next();
    expect(audit).to.deep.include({ practiceId: fx.practiceA, actor: { sub: 'cli', role: null }, details: { format: 'csv', filter: { from: from.toISOString(), to: '2030-01-01T00:03:00.000Z' } } });
  });

  it('gives out nothing when the audit.exported entry cannot be written', async () => {
    const other = await fx.open();
    await other.connection.close();
    const err = await exportAuditCsv({ models: fx.models, auditLog: other.auditLog }, { practiceId: fx.practiceA }, { actor: { sub: 'cli' } }).catch((error: unknown) => error);
    expect(err).to.be.instanceOf(AuditWriteError);
  });
});
