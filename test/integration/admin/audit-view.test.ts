// The audit log page over HTTP: an admin sees only their practice's entries, filters them by user
// (email), event, outcome, IP and UTC days, sees times in UTC and in the practice's zone (or the
// server's), pages through them, and exports the same selection as CSV; the export is itself
// audited, and refused without the form's CSRF token.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import type { UserDoc } from '../../../src/accounts/service.js';
import { createAuditLog, type AuditInput } from '../../../src/audit/record.js';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { field, type Browser } from '../../helpers/browser.js';
import { FakeClock } from '../../helpers/clock.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { parseCsv } from '../audit/csv-reader.js';
import { testAuditKeys } from '../../helpers/audit-keys.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';
const DAY = 24 * 3600 * 1000;

describe('admin: audit log page', () => {
  let bench: MfaBench;
  let admin: UserDoc;
  let dana: UserDoc;
  let outsider: UserDoc;
  let practiceId: Types.ObjectId;
  let browser: Browser;

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'risk' });
    practiceId = (await bench.server.createPractice({ name: 'Seaside Clinic' }))._id;
    const otherPracticeId = (await bench.server.createPractice({ name: 'Other Clinic' }))._id;
    admin = await bench.server.createUser({ practiceId, email: 'admin@seaside.test', name: 'Ada Admin', role: 'admin', password: PASSWORD });
    dana = await bench.server.createUser({ practiceId, email: 'dana@seaside.test', name: 'Dana Doctor', password: PASSWORD });
    outsider = await bench.server.createUser({ practiceId: otherPracticeId, email: 'olive@other.test', password: PASSWORD });

    // History written on its own clock: 2030-03-01 .. 2030-03-03, 10:00 UTC; the app's writer joins the same chain.
    const clock = new FakeClock(Date.parse('2030-03-01T10:00:00Z'));
    const history = createAuditLog({ models: bench.server.models, keys: testAuditKeys, now: clock.now });
    const write = (input: Partial<AuditInput>) => history.record({ event: 'signin.password.succeeded', outcome: 'success', practiceId: practiceId.toHexString(), userSub: dana.sub, ip: '203.0.113.5', userAgent: 'Mozilla/5.0 Test', clientId: 'charting', ...input });
    await write({ event: 'mfa.required', outcome: 'info', reasons: ['new_device', 'new_ip'] });
    await write({ event: 'signin.password.failed', outcome: 'failure', reasons: ['wrong_password'], ip: '2001:db8::7', userAgent: '=cmd|calc' });
    clock.advance(DAY);
    await write({ event: 'mfa.code.verified' });
    await write({ event: 'signin.password.failed', outcome: 'failure', practiceId: otherPracticeId.toHexString(), userSub: outsider.sub, ip: '192.0.2.66', reasons: ['wrong_password'] });
    clock.advance(DAY);
    for (let i = 0; i < 55; i++) await write({ event: 'session.logout', clientId: `module-${i}` });

    ({ browser } = await adminSignIn(bench, admin, PASSWORD, '/admin/audit'));
  });
  after(() => bench?.close());

  const list = (query = '') => browser.get(bench.server.url(`/admin/audit${query}`));
  const rowsOf = (html: string) => [...html.matchAll(/<tr data-event="([^"]+)">/g)].map((match) => match[1]);

  it("lists the practice's entries, newest first, with time in the server's zone and UTC, user, IP, browser, client and reasons in words", async () => {
    const page = await list('?event=mfa.required&email=dana%40seaside.test');
    expect(page.status).to.equal(200);
    expect(rowsOf(page.html)).to.deep.equal(['mfa.required']);
    expect(page.html).to.include('<span class="utc">2030-03-01 10:00:00 UTC</span>');
    expect(page.html).to.match(/<time class="local" datetime="2030-03-01T10:00:00.000Z">\w{3}, \w{3} [12], 2030, \d{1,2}:00:00 [AP]M [^<]+<\/time>/);
    expect(page.html).to.include(`Times and dates are the server's (${new Intl.DateTimeFormat().resolvedOptions().timeZone})`);
    for (const text of ['dana@seaside.test', '203.0.113.5', 'Mozilla 5', 'app: charting', 'Why: new device, new network', 'Code asked for', 'Noted']) expect(page.html).to.include(`>${text}<`);
    expect(page.html).not.to.include('>mfa.required<');
  });

  it("shows local times in the practice's own time zone once one is set, and names it", async () => {
    const summer = createAuditLog({ models: bench.server.models, keys: testAuditKeys, now: () => Date.parse('2030-06-01T12:00:00Z') });
    await summer.record({ event: 'mfa.code.verified', outcome: 'success', practiceId: practiceId.toHexString(), userSub: dana.sub, ip: '203.0.113.5', userAgent: 'Mozilla/5.0 Test' });
    await bench.server.models.Practice.updateOne({ _id: practiceId }, { $set: { timeZone: 'America/Chicago' } });
    try {
      const page = await list('?from=2030-06-01&to=2030-06-01');
      expect(rowsOf(page.html)).to.deep.equal(['mfa.code.verified']);
      expect(page.html).to.include('<time class="local" datetime="2030-06-01T12:00:00.000Z">Sat, Jun 1, 2030, 7:00:00 AM CDT</time><br><span class="utc">2030-06-01 12:00:00 UTC</span>');
      expect(page.html).to.include("Times and dates are the practice's (America/Chicago)").and.not.include("the server's");
      expect(page.html).to.include('From (day, America/Chicago)');
    } finally {
      await bench.server.models.Practice.updateOne({ _id: practiceId }, { $unset: { timeZone: 1 } });
    }
    expect((await list('?from=2030-06-01&to=2030-06-01')).html).to.include(`Times and dates are the server's (${new Intl.DateTimeFormat().resolvedOptions().timeZone})`);
  });

  it("reads filter days on the practice's clocks: a Chicago day runs 05:00 to 05:00 UTC in summer", async () => {
    const at = (iso: string) => createAuditLog({ models: bench.server.models, keys: testAuditKeys, now: () => Date.parse(iso) });
    const entry = { outcome: 'success' as const, practiceId: practiceId.toHexString(), userSub: dana.sub };
    await at('2030-07-04T04:59:00Z').record({ ...entry, event: 'password.changed' }); // July 3, 23:59 in Chicago
    await at('2030-07-05T04:58:00Z').record({ ...entry, event: 'phone.verified' }); // July 4, 23:58 in Chicago
    await bench.server.models.Practice.updateOne({ _id: practiceId }, { $set: { timeZone: 'America/Chicago' } });
    try {
      expect(rowsOf((await list('?from=2030-07-04&to=2030-07-04')).html)).to.deep.equal(['phone.verified']);
      expect(rowsOf((await list('?from=2030-07-03&to=2030-07-03')).html)).to.deep.equal(['password.changed']);
    } finally {
      await bench.server.models.Practice.updateOne({ _id: practiceId }, { $unset: { timeZone: 1 } });
    }
  });

  it('details read as labelled lines ("mfa policy: risk → always"), never as JSON', async () => {
    const log = createAuditLog({ models: bench.server.models, keys: testAuditKeys, now: () => Date.parse('2030-08-01T12:00:00Z') });
    await log.record({ event: 'admin.practice.security_changed', outcome: 'success', practiceId: practiceId.toHexString(), actor: { sub: admin.sub, role: 'admin' }, details: { before: { mfaPolicy: 'risk', trustedIpsBypass: true }, after: { mfaPolicy: 'always', trustedIpsBypass: false } } });
    const page = await list('?event=admin.practice.security_changed&from=2030-08-01&to=2030-08-01');
    expect(page.html).to.include('<dt>mfa policy</dt><dd>risk → always</dd>').and.include('<dt>trusted ips bypass</dt><dd>yes → no</dd>');
    expect(page.html).to.include('<option value="admin.practice.security_changed" selected>Practice security changed</option>');
    expect(page.html).not.to.include('{&quot;');
  });

  it("never shows another practice's entries, whatever the filter", async () => {
    for (const query of ['?event=signin.password.failed', '?outcome=failure', '']) {
      const page = await list(query);
      expect(page.html, query).to.not.include('192.0.2.66').and.not.include(outsider.sub);
    }
    expect(rowsOf((await list('?ip=192.0.2.66')).html)).to.deep.equal([]);
    expect((await list('?email=olive%40other.test')).html).to.include('No user of this practice has that email address.');
  });

  const filters: { name: string; query: string; events: string[] }[] = [
    { name: 'user (email, any case) and outcome', query: '?email=DANA%40seaside.test&outcome=failure', events: ['signin.password.failed'] },
    { name: 'IP (IPv6 in any spelling)', query: '?ip=2001:DB8:0::7', events: ['signin.password.failed'] },
    { name: 'a range of UTC days, both included', query: '?from=2030-03-01&to=2030-03-02&email=dana%40seaside.test', events: ['mfa.code.verified', 'signin.password.failed', 'mfa.required'] },
    { name: 'one UTC day', query: '?from=2030-03-02&to=2030-03-02', events: ['mfa.code.verified'] },
  ];
  for (const { name, query, events } of filters) {
    it(`filters by ${name}`, async () => {
      const page = await list(query);
      expect(page.status).to.equal(200);
      expect(rowsOf(page.html)).to.deep.equal(events);
    });
  }

  it('pages through 50 entries at a time, keeping the filter in the links', async () => {
    const first = await list('?event=session.logout');
    expect(first.html).to.include('55 entries · page 1 of 2');
    expect(rowsOf(first.html)).to.have.length(50);
    expect(first.html).to.include('href="/admin/audit?event=session.logout&amp;page=2" rel="next"');
    const second = await list('?event=session.logout&page=2');
    expect(rowsOf(second.html)).to.have.length(5);
    expect(second.html).to.include('>app: module-0<').and.include('rel="prev"');
  });

  const invalid: { query: string; message: string }[] = [
    { query: '?event=made.up', message: 'Choose an event type from the list.' },
    { query: '?outcome=maybe', message: 'Choose an outcome from the list.' },
    { query: '?ip=not-an-ip', message: '&quot;not-an-ip&quot; is not an IP address' },
    { query: '?from=2030-13-01', message: 'The &quot;from&quot; date must look like 2030-06-30.' },
    { query: '?from=2030-03-03&to=2030-03-01', message: 'The &quot;from&quot; date must not be after the &quot;to&quot; date.' },
  ];
  for (const { query, message } of invalid) {
    it(`explains a bad filter (${query}) and keeps the form`, async () => {
      const page = await list(query);
      expect(page.status).to.equal(400);
      expect(page.html).to.include(message);
      expect(rowsOf(page.html)).to.deep.equal([]);
    });
  }

  /** POSTs the export form as the browser would, returning the raw response. */
  async function exportCsv(form: Record<string, string>): Promise<Response> {
    const cookie = [...browser.cookies()].map(([name, value]) => `${name}=${value}`).join('; ');
    return fetch(bench.server.url('/admin/audit/export'), {
      method: 'POST', redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.20', 'user-agent': 'Export Agent' },
      body: new URLSearchParams(form),
    });
  }

  it('exports the filtered entries as CSV (spreadsheet-safe) and audits the export first', async () => {
    const token = field((await list()).html, '_csrf');
    const response = await exportCsv({ _csrf: token, email: 'dana@seaside.test', outcome: 'failure' });
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).to.match(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parseCsv(await response.text());
    expect(rows[0]).to.deep.equal(['time', 'practice', 'user', 'actor', 'event', 'outcome', 'ip', 'user agent', 'client', 'reasons', 'details']);
    // A random sub may start with "-": like any cell a spreadsheet would read as a formula, it is quoted.
    const safe = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
    expect(rows.slice(1)).to.deep.equal([[
      '2030-03-01T10:00:00.000Z', practiceId.toHexString(), safe(dana.sub), '', 'signin.password.failed', 'failure', '2001:db8::7', "'=cmd|calc", 'charting', 'wrong_password', '',
    ]]);

    const exported = await bench.server.models.AuditEntry.findOne({ event: 'audit.exported' }).lean();
    expect(exported).to.deep.include({ outcome: 'success', practiceId: practiceId.toHexString(), userSub: admin.sub, ip: '198.51.100.20', userAgent: 'Export Agent' });
    expect(exported!.details).to.deep.equal({ format: 'csv', filter: { userSub: dana.sub, outcome: 'failure' } });
    expect(rowsOf((await list('?event=audit.exported')).html)).to.deep.equal(['audit.exported']);
  });

  it('refuses an export without the CSRF token, and records nothing', async () => {
    const before = await bench.server.models.AuditEntry.countDocuments({ event: 'audit.exported' });
    const response = await exportCsv({ outcome: 'failure' });
    expect(response.status).to.equal(403);
    expect(await response.text()).to.not.include('signin.password');
    expect(await bench.server.models.AuditEntry.countDocuments({ event: 'audit.exported' })).to.equal(before);
  });

  it('sends an export with a bad filter back to the page that explains it', async () => {
    const token = field((await list()).html, '_csrf');
    const response = await exportCsv({ _csrf: token, ip: 'nope' });
    expect(response.status).to.equal(303);
    expect(response.headers.get('location')).to.equal('/admin/audit?ip=nope');
  });
});
