// Canonical JSON and entry hashing, by tables: one value, one string, whatever the key order.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { canonicalJson, GENESIS_HASH, hashCanonical } from '../../../src/audit/canonical.js';
import { entryHash, hashedFields } from '../../../src/audit/chain.js';
import type { AuditEntry } from '../../../src/store/models/audit-entry.js';
import { auditKeys } from '../../../src/audit/keys.js';

const canonical: { name: string; value: unknown; json: string }[] = [
  { name: 'null', value: null, json: 'null' },
  { name: 'a string with quotes and unicode', value: 'a "b" é\n', json: '"a \\"b\\" é\\n"' },
  { name: 'integers and decimals', value: [0, -0, 1, -2.5, 1e21], json: '[0,0,1,-2.5,1e+21]' },
  { name: 'booleans', value: [true, false], json: '[true,false]' },
  { name: 'keys sorted', value: { b: 1, a: 2, C: 3 }, json: '{"C":3,"a":2,"b":1}' },
  { name: 'nested keys sorted', value: { z: { y: 1, x: [{ b: 1, a: 1 }] } }, json: '{"z":{"x":[{"a":1,"b":1}],"y":1}}' },
  { name: 'undefined properties left out', value: { a: undefined, b: 1 }, json: '{"b":1}' },
  { name: 'undefined in arrays as null', value: [undefined, null], json: '[null,null]' },
  { name: 'Dates as UTC ISO with milliseconds', value: { at: new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 6)) }, json: '{"at":"2030-01-02T03:04:05.006Z"}' },
  { name: 'ObjectIds as hex', value: new Types.ObjectId('665f1c2e8b3f4a0012345678'), json: '"665f1c2e8b3f4a0012345678"' },
  { name: 'empty containers', value: { a: {}, b: [] }, json: '{"a":{},"b":[]}' },
  { name: 'null-prototype objects', value: Object.assign(Object.create(null) as object, { b: 2, a: 1 }), json: '{"a":1,"b":2}' },
];

const refused: { name: string; value: unknown }[] = [
  { name: 'NaN', value: NaN },
  { name: 'Infinity', value: { a: Infinity } },
  { name: 'a bigint', value: 1n },
  { name: 'a function', value: { f: () => 1 } },
  { name: 'an invalid Date', value: new Date('nope') },
  { name: 'a class instance', value: new Map() },
];

describe('audit/canonical: canonical JSON', () => {
  for (const { name, value, json } of canonical) {
    it(`${name} → ${json}`, () => {
      expect(canonicalJson(value)).to.equal(json);
      expect(hashCanonical(value)).to.equal(createHash('sha256').update(json).digest('hex'));
    });
  }
  for (const { name, value } of refused) {
    it(`refuses ${name}`, () => expect(() => canonicalJson(value)).to.throw(TypeError));
  }
  it('hashes {} to the published SHA-256 of "{}"', () => {
    expect(hashCanonical({})).to.equal('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});

describe('audit/chain: the entry hash covers every field', () => {
  const keys = auditKeys('current-audit-key-for-unit-tests-0123456789', ['previous-audit-key-for-unit-tests-0123456789']);
  const previousId = auditKeys('previous-audit-key-for-unit-tests-0123456789').current.id;
  const entry: Omit<AuditEntry, 'hash'> = {
    seq: 7, at: new Date(Date.UTC(2030, 0, 1)), event: 'mfa.required', outcome: 'info',
    practiceId: '665f1c2e8b3f4a0012345678', userSub: 'u1', actor: null, ip: '203.0.113.7',
    userAgent: 'Browser/1', clientId: 'charting', reasons: ['new_ip'], details: { channel: 'sms' }, prevHash: GENESIS_HASH,
    kid: keys.current.id,
  };
  const hash = (value: Partial<Omit<AuditEntry, 'hash'>>) => entryHash(value, keys);
  const base = hash(entry);

  const changes: { field: keyof typeof entry; value: unknown }[] = [
    { field: 'seq', value: 8 },
    { field: 'at', value: new Date(Date.UTC(2030, 0, 1, 0, 0, 0, 1)) },
    { field: 'event', value: 'mfa.waived' },
    { field: 'outcome', value: 'success' },
    { field: 'practiceId', value: '665f1c2e8b3f4a0012345679' },
    { field: 'userSub', value: 'u2' },
    { field: 'actor', value: { sub: 'admin-1', role: 'admin' } },
    { field: 'ip', value: '203.0.113.8' },
    { field: 'userAgent', value: 'Browser/2' },
    { field: 'clientId', value: 'billing' },
    { field: 'reasons', value: ['new_ip', 'new_device'] },
    { field: 'details', value: { channel: 'email' } },
    { field: 'prevHash', value: '1'.repeat(64) },
    { field: 'kid', value: previousId },
  ];
  for (const { field, value } of changes) {
    it(`changes when ${field} changes`, () => expect(hash({ ...entry, [field]: value })).not.to.equal(base));
  }

  it('is an HMAC under the named key: without the key the SHA-256 of the same fields is another value', () => {
    const { kid: _kid, ...unkeyed } = entry;
    expect(base).to.match(/^[0-9a-f]{64}$/);
    expect(hash(unkeyed)).to.equal(hashCanonical(hashedFields(unkeyed)));
    expect(hash(unkeyed)).not.to.equal(base);
    expect(entryHash(entry, auditKeys('some-other-audit-key-0123456789-0123456789'))).to.equal(undefined);
  });

  it('is the same whatever order the store returns the fields in, and with its _id present', () => {
    const reversed = Object.fromEntries(Object.entries(entry).reverse()) as typeof entry;
    expect(hash({ ...reversed, _id: new Types.ObjectId() } as typeof entry)).to.equal(base);
  });

  it('treats absent optional fields like their stored defaults (null, [], {})', () => {
    const sparse = { seq: 1, at: entry.at, event: entry.event, outcome: entry.outcome, prevHash: GENESIS_HASH } as const;
    const full = { ...sparse, practiceId: null, userSub: null, actor: null, ip: null, userAgent: null, clientId: null, reasons: [], details: {} };
    expect(hash(sparse)).to.equal(hash(full));
    expect(Object.keys(hashedFields(sparse)).sort()).to.deep.equal(Object.keys(full).sort());
  });
});
