// The limits service on a real store: every limit refuses the request after its points, says how
// long to wait, and opens again when its window ends (the injected clock moves, nothing sleeps).
// Counters live in the store, so a second connection (another instance) sees the same counts.
import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { createAuditLog } from '../../../src/audit/record.js';
import { RateLimitedError } from '../../../src/errors.js';
import { LIMIT_NAMES, type LimitName } from '../../../src/config/limit-rules.js';
import { createRateLimits, RATE_LIMIT_COLLECTION, type RateLimits } from '../../../src/security/rate-limits.js';
import { openConnection } from '../../../src/store/connection.js';
import { auditEntryModel } from '../../../src/store/models/audit-entry.js';
import { FakeClock } from '../../helpers/clock.js';
import { storeUnderTest, withDatabase, type StoreUnderTest } from '../../helpers/store.js';
import { testAuditKeys } from '../../helpers/audit-keys.js';

/** The rejection of `promise`, or undefined when it resolved. */
const caught = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (err: unknown) => err);

const SMALL = Object.fromEntries(LIMIT_NAMES.map((name, i) => [name, { points: 2 + (i % 3), seconds: 60 * (i + 1) }]));

describe('security: rate limits service', () => {
  let store: StoreUnderTest;
  let connections: Connection[];
  const clock = new FakeClock(Date.UTC(2030, 0, 1, 0, 0, 0));

  const limitsOn = (connection: Connection, audit?: ReturnType<typeof createAuditLog>): RateLimits =>
    createRateLimits({ connection, now: clock.now, rules: SMALL, ...(audit ? { audit } : {}) });

  before(async () => {
    store = await storeUnderTest();
    connections = [await openConnection(store.uri), await openConnection(store.uri)];
  });
  after(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await store.close();
  });

  for (const name of LIMIT_NAMES) {
    it(`${name}: allows its points, then 429 with the time to the window's end, then opens again`, async () => {
      const limits = limitsOn(connections[0]!);
      const { points, seconds } = limits.rules[name];
      const key = `key-of-${name}`;
      clock.set(Math.ceil(clock.now() / (seconds * 1000)) * seconds * 1000 + 10_000); // 10 s into a window
      for (let i = 0; i < points; i++) await limits.consume(name, key);
      const refused = await caught(limits.consume(name, key));
      expect(refused).to.be.instanceOf(RateLimitedError);
      const error = refused as RateLimitedError;
      expect(error.status).to.equal(429);
      expect(error.code).to.equal('rate_limited');
      expect(error.retryAfterSeconds).to.equal(seconds - 10);
      // Another key is counted apart.
      await limits.consume(name, `${key}-other`);
      clock.advance((seconds - 10) * 1000 - 1);
      expect(await caught(limits.consume(name, key))).to.be.instanceOf(RateLimitedError);
      clock.advance(1);
      await limits.consume(name, key);
    });
  }

  it('counts in the store: a second instance sees the first one\'s requests', async () => {
    const [a, b] = [limitsOn(connections[0]!), limitsOn(connections[1]!)];
    const points = a.rules.signin_ip.points;
    for (let i = 0; i < points; i++) await (i % 2 ? b : a).consume('signin_ip', '198.51.100.1');
    expect(await caught(b.consume('signin_ip', '198.51.100.1'))).to.be.instanceOf(RateLimitedError);
    expect(await caught(a.consume('signin_ip', '198.51.100.1'))).to.be.instanceOf(RateLimitedError);
  });

  it('counts concurrent requests exactly (one atomic upsert each)', async () => {
    const limits = limitsOn(connections[0]!);
    const points = limits.rules.token_ip.points;
    const results = await Promise.all(Array.from({ length: points + 5 }, (_, i) => caught(limitsOn(connections[i % 2]!).consume('token_ip', '192.0.2.99'))));
    expect(results.filter((result) => result === undefined)).to.have.length(points);
    expect(results.filter((result) => result instanceof RateLimitedError)).to.have.length(5);
  });

  it('consumeAll counts the request against every limit, and audits and throws the first refusing one in order', async () => {
    // A database of its own, so its audit entries are the only ones there.
    const connection = await openConnection(withDatabase(store.uri, `${store.dbName}_all`));
    try {
      await consumeAllCase(connection);
    } finally {
      await connection.close();
    }
  });

  async function consumeAllCase(connection: Connection): Promise<void> {
    const models = { AuditEntry: auditEntryModel(connection) };
    await models.AuditEntry.createIndexes();
    const limits = limitsOn(connection, createAuditLog({ models, keys: testAuditKeys, now: clock.now }));
    const ip = '198.51.100.77';
    const account = `nurse@clinic.test|${ip}`;
    const { signin_ip: ipRule, signin_account: accountRule } = limits.rules;
    expect(ipRule.points).to.be.below(accountRule.points); // SMALL: 2 and 3
    for (let i = 0; i < ipRule.points; i++) await limits.consumeAll([['signin_ip', ip], ['signin_account', account]]);

    const audited = () => models.AuditEntry.find({ event: 'request.rate_limited' }).sort({ seq: 1 }).lean();
    expect(await audited()).to.have.length(0);
    const refused = await caught(limits.consumeAll([['signin_ip', ip], ['signin_account', account]], { ip }));
    expect(refused).to.be.instanceOf(RateLimitedError);
    expect((refused as RateLimitedError).limit).to.equal('signin_ip');
    const entries = await audited();
    expect(entries).to.have.length(1);
    expect(entries[0]!.reasons).to.deep.equal(['signin_ip']);
    // The refused request still counted against the account limit, which is now full too.
    expect(accountRule.points).to.equal(ipRule.points + 1);
    expect(await caught(limits.consume('signin_account', account))).to.be.instanceOf(RateLimitedError);

    // Both refuse: the first named is thrown; neither is a first refusal any more, so no new entry.
    const first = await caught(limits.consumeAll([['signin_account', account], ['signin_ip', ip]], { ip }));
    expect((first as RateLimitedError).limit).to.equal('signin_account');
    expect((await audited()).map((entry) => entry.reasons)).to.deep.equal([['signin_ip'], ['signin_account']]);
  }

  it('reset forgets a key\'s count', async () => {
    const limits = limitsOn(connections[0]!);
    const name: LimitName = 'reset_address';
    for (let i = 0; i < limits.rules[name].points; i++) await limits.consume(name, 'someone@clinic.test');
    expect(await caught(limits.consume(name, 'someone@clinic.test'))).to.be.instanceOf(RateLimitedError);
    await limits.reset(name, 'someone@clinic.test');
    await limits.consume(name, 'someone@clinic.test');
  });

  it('stores keys hashed (no email or IP in the store) and audits a refusal without the key', async () => {
    const models = { AuditEntry: auditEntryModel(connections[0]!) };
    await models.AuditEntry.createIndexes();
    const limits = limitsOn(connections[0]!, createAuditLog({ models, keys: testAuditKeys, now: clock.now }));
    const key = 'dr.who@clinic.test|203.0.113.5';
    for (let i = 0; i < limits.rules.signin_account.points; i++) await limits.consume('signin_account', key);
    // A flood of refusals: every one refused, only the first audited.
    for (let i = 0; i < 5; i++) expect(await caught(limits.consume('signin_account', key, { ip: '203.0.113.5', userAgent: 'test-agent' }))).to.be.instanceOf(RateLimitedError);

    const stored = JSON.stringify(await connections[0]!.db!.collection(RATE_LIMIT_COLLECTION).find().toArray());
    expect(stored).to.not.include('dr.who').and.not.include('203.0.113.5');
    const entries = await models.AuditEntry.find({ event: 'request.rate_limited' }).lean();
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({ outcome: 'failure', ip: '203.0.113.5', userAgent: 'test-agent' });
    expect(entries[0]!.reasons).to.deep.equal(['signin_account']);
    expect(JSON.stringify(entries[0])).to.not.include('dr.who');

    // The next window's first refusal is audited again.
    clock.advance(limits.rules.signin_account.seconds * 1000);
    for (let i = 0; i <= limits.rules.signin_account.points + 2; i++) await caught(limits.consume('signin_account', key, { ip: '203.0.113.5' }));
    expect(await models.AuditEntry.countDocuments({ event: 'request.rate_limited' })).to.equal(2);
  });
});
