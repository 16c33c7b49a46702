// record + query against a real store: what is stored, filters, paging, practice scoping, and a
// failing store making record reject.
import { expect } from 'chai';
import { BadRequestError } from '../../../src/errors.js';
import { GENESIS_HASH } from '../../../src/audit/canonical.js';
import { queryAudit, type AuditQuery } from '../../../src/audit/query.js';
import { AuditWriteError, createAuditLog, type AuditInput } from '../../../src/audit/record.js';
import { auditFixture, rawEntries, type AuditFixture } from './fixture.js';
import { testAuditKeys } from '../../helpers/audit-keys.js';

describe('audit: record and query', () => {
  let fx: AuditFixture;
  before(async () => {
    fx = await auditFixture();
  });
  after(async () => fx?.close());

  it('stores a chained, redacted entry stamped with the server clock in UTC', async () => {
    const entry = await fx.auditLog.record({
      event: 'signin.password.failed', outcome: 'failure', practiceId: fx.practiceA, userSub: 'dana',
      ip: '203.0.113.7', userAgent: 'Browser/1', clientId: 'charting', reasons: ['wrong_password'],
      details: { password: 'hunter2', attempt: { otp: '123456', n: 3 } },
    });
    expect(entry).to.deep.include({ seq: 1, prevHash: GENESIS_HASH, event: 'signin.password.failed', practiceId: fx.practiceA, actor: null });
    expect(entry.at.toISOString()).to.equal('2030-01-01T00:00:00.000Z');
    expect(entry.hash).to.match(/^[0-9a-f]{64}$/);

    const raw = await rawEntries(fx).findOne({ seq: 1 });
    expect(raw).to.deep.include({ hash: entry.hash, details: { password: '[redacted]', attempt: { otp: '[redacted]', n: 3 } } });
    expect(JSON.stringify(raw)).not.to.match(/hunter2|123456/);

    fx.clock.advance(1000);
    const second = await fx.auditLog.record({ event: 'account.locked', outcome: 'info', practiceId: fx.practiceA, userSub: 'dana' });
    expect(second).to.include({ seq: 2, prevHash: entry.hash });
  });

  it('refuses events and practice ids outside the closed sets, storing nothing', async () => {
    const before = await rawEntries(fx).countDocuments();
    const bad = [
      { event: 'signin.magic', outcome: 'success' },
      { event: 'session.logout', outcome: 'maybe' },
      { event: 'session.logout', outcome: 'info', practiceId: 'not-an-id' },
    ] as unknown as AuditInput[];
    for (const input of bad) {
      const err = await fx.auditLog.record(input).catch((error: unknown) => error);
      expect(err).to.be.instanceOf(AuditWriteError);
    }
    expect(await rawEntries(fx).countDocuments()).to.equal(before);
  });

  describe('query', () => {
    before(async () => {
      await rawEntries(fx).deleteMany({});
      fx.clock.set(Date.UTC(2030, 5, 1));
      // Practice A: 6 entries one minute apart; practice B: 2, interleaved.
      const plan: Array<[string, AuditInput]> = [
        ['A', { event: 'signin.password.succeeded', outcome: 'success', userSub: 'dana', ip: '203.0.113.7' }],
        ['B', { event: 'signin.password.succeeded', outcome: 'success', userSub: 'bob', ip: '203.0.113.7' }],
        ['A', { event: 'mfa.required', outcome: 'info', userSub: 'dana', ip: '203.0.113.7', reasons: ['new_ip'] }],
        ['A', { event: 'mfa.code.failed', outcome: 'failure', userSub: 'dana', ip: '198.51.100.1' }],
        ['B', { event: 'mfa.code.failed', outcome: 'failure', userSub: 'bob', ip: '198.51.100.1' }],
        ['A', { event: 'mfa.code.verified', outcome: 'success', userSub: 'dana', ip: '198.51.100.1' }],
        ['A', { event: 'signin.password.failed', outcome: 'failure', userSub: 'eve', ip: '192.0.2.9' }],
        ['A', { event: 'admin.trusted_ip.added', outcome: 'success', actor: { sub: 'admin-1', role: 'admin' }, details: { after: { ip: '203.0.113.0/24' } } }],
      ];
      for (const [practice, input] of plan) {
        await fx.auditLog.record({ ...input, practiceId: practice === 'A' ? fx.practiceA : fx.practiceB });
        fx.clock.advance(60_000);
      }
    });

    const run = (filter: Omit<AuditQuery, 'practiceId'>, practiceId = fx.practiceA) => queryAudit({ models: fx.models }, { practiceId, ...filter });
    const minute = (n: number) => new Date(Date.UTC(2030, 5, 1, 0, n));

    const cases: { name: string; filter: Omit<AuditQuery, 'practiceId'>; events: string[]; total?: number }[] = [
      { name: 'everything of the practice, newest first', filter: {}, events: ['admin.trusted_ip.added', 'signin.password.failed', 'mfa.code.verified', 'mfa.code.failed', 'mfa.required', 'signin.password.succeeded'] },
      { name: 'one user', filter: { userSub: 'dana' }, events: ['mfa.code.verified', 'mfa.code.failed', 'mfa.required', 'signin.password.succeeded'] },
      { name: 'one event', filter: { event: 'mfa.code.failed' }, events: ['mfa.code.failed'] },
      { name: 'several events', filter: { event: ['mfa.required', 'mfa.code.verified'] }, events: ['mfa.code.verified', 'mfa.required'] },
      { name: 'an outcome', filter: { outcome: 'failure' }, events: ['signin.password.failed', 'mfa.code.failed'] },
      { name: 'an IP', filter: { ip: '198.51.100.1' }, events: ['mfa.code.verified', 'mfa.code.failed'] },
      { name: 'from inclusive, to exclusive', filter: { from: minute(2), to: minute(6) }, events: ['mfa.code.verified', 'mfa.code.failed', 'mfa.required'] },
      { name: 'combined', filter: { userSub: 'dana', outcome: 'success', from: minute(1) }, events: ['mfa.code.verified'] },
      { name: 'page 2 of 4-entry pages', filter: { page: 2, pageSize: 4 }, events: ['mfa.required', 'signin.password.succeeded'], total: 6 },
      { name: 'a page past the end', filter: { page: 9, pageSize: 4 }, events: [], total: 6 },
      { name: 'another practice\'s user finds nothing here', filter: { userSub: 'bob' }, events: [] },
    ];
    for (const { name, filter, events, total } of cases) {
      it(name, async () => {
        const page = await run(filter);
        expect(page.entries.map((entry) => entry.event)).to.deep.equal(events);
        expect(page.total).to.equal(total ?? events.length);
        expect(page.entries.every((entry) => entry.practiceId === fx.practiceA)).to.equal(true);
        expect(page).to.include({ page: filter.page ?? 1, pageSize: filter.pageSize ?? 50 });
      });
    }

    it('returns entries as stored (actor, details, reasons; no store _id)', async () => {
      const [latest] = (await run({ pageSize: 1 })).entries;
      expect(latest).to.deep.include({ actor: { sub: 'admin-1', role: 'admin' }, details: { after: { ip: '203.0.113.0/24' } }, reasons: [] });
      expect(latest).not.to.have.property('_id');
    });

    it("scopes to one practice: B's query never returns A's entries", async () => {
      const page = await run({}, fx.practiceB);
      expect(page.entries.map((entry) => [entry.userSub, entry.practiceId])).to.deep.equal([['bob', fx.practiceB], ['bob', fx.practiceB]]);
    });

    const refusals: { name: string; query: Record<string, unknown> }[] = [
      { name: 'no practice', query: { practiceId: undefined } },
      { name: 'a practice id that is not one', query: { practiceId: { $ne: null } } },
      { name: 'pageSize above 200', query: { pageSize: 201 } },
      { name: 'page 0', query: { page: 0 } },
      { name: 'an unknown event', query: { event: 'nope' } },
      { name: 'an unknown outcome', query: { outcome: 'maybe' } },
      { name: 'an invalid date', query: { from: new Date('x') } },
    ];
    for (const { name, query } of refusals) {
      it(`refuses ${name} with a 400`, async () => {
        const full = { practiceId: fx.practiceA, ...query } as unknown as AuditQuery;
        const err = await queryAudit({ models: fx.models }, full).catch((error: unknown) => error);
        expect(err).to.be.instanceOf(BadRequestError);
      });
    }
  });

  it('rejects with AuditWriteError (503, a user message) when the store cannot be written', async () => {
    const other = await fx.open();
    await other.connection.close();
    const err = await other.auditLog.record({ event: 'session.logout', outcome: 'success', practiceId: fx.practiceA }).catch((error: unknown) => error);
    expect(err).to.be.instanceOf(AuditWriteError);
    expect(err).to.include({ status: 503, code: 'audit_unavailable', userMessage: 'We could not complete this action. Please try again.' });

    // A log whose models were never indexed fails the same way when the store is gone.
    const closedLog = createAuditLog({ models: other.models, keys: testAuditKeys, now: fx.clock.now });
    expect(await closedLog.record({ event: 'session.logout', outcome: 'success' }).catch((error: unknown) => error)).to.be.instanceOf(AuditWriteError);
  });
});
