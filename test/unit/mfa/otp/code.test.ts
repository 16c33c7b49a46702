// Code generation (uniform by rejection sampling), input normalization and the bound keyed hash.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { codeBinding, generateCode, hashCode, normalizeCode } from '../../../../src/mfa/otp/index.js';

/** A random source that hands out the given 4-byte draws in order (big-endian uint32 values). */
function draws(...values: number[]): (n: number) => Uint8Array {
  const queue = [...values];
  return (n) => {
    const value = queue.shift();
    if (value === undefined) throw new Error('no draw left');
    const bytes = new Uint8Array(n);
    new DataView(bytes.buffer).setUint32(0, value);
    return bytes;
  };
}

const LIMIT = 4_294_000_000; // largest multiple of 10^6 below 2^32

const generated: { name: string; values: number[]; code: string }[] = [
  { name: 'zero is 000000 (leading zeros kept)', values: [0], code: '000000' },
  { name: 'a small value is padded', values: [42], code: '000042' },
  { name: '999999 maps to itself', values: [999_999], code: '999999' },
  { name: '10^6 wraps to 000000', values: [1_000_000], code: '000000' },
  { name: 'the last accepted value gives 999999', values: [LIMIT - 1], code: '999999' },
  { name: 'the first biased value is redrawn', values: [LIMIT, 7], code: '000007' },
  { name: 'the largest uint32 is redrawn, twice', values: [0xffffffff, LIMIT + 5, 123_456], code: '123456' },
];

describe('mfa/otp: generateCode draws uniformly by rejection', () => {
  for (const { name, values, code } of generated) {
    it(`${name} → ${code}`, () => {
      expect(generateCode(draws(...values))).to.equal(code);
    });
  }
  it('gives up on a source that only returns out-of-range values', () => {
    expect(() => generateCode(() => new Uint8Array([255, 255, 255, 255]))).to.throw(/out-of-range/);
  });
  it('refuses a source that returns the wrong number of bytes', () => {
    expect(() => generateCode(() => new Uint8Array(3))).to.throw(RangeError, /returned 3 bytes/);
  });
  it('gives 6 ASCII digits from the real CSPRNG', () => {
    for (let i = 0; i < 50; i++) expect(generateCode(randomBytes)).to.match(/^[0-9]{6}$/);
  });
});

const inputs: { input: string; code?: string }[] = [
  { input: '123456', code: '123456' },
  { input: ' 123 456 ', code: '123456' },
  { input: '123-456', code: '123456' },
  { input: '12 34 56', code: '123456' },
  { input: '123\u2013456', code: '123456' },
  { input: '\t000000\n', code: '000000' },
  { input: '' },
  { input: '12345' },
  { input: '1234567' },
  { input: '12345a' },
  { input: '１２３４５６' },
  { input: '١٢٣٤٥٦' },
  { input: '123.456' },
  { input: '+123456' },
  { input: `123456${' '.repeat(100)}` },
];

describe('mfa/otp: normalizeCode accepts only 6 ASCII digits, spaces and dashes aside', () => {
  for (const { input, code } of inputs) {
    it(`${JSON.stringify(input.length > 20 ? `${input.slice(0, 20)}…` : input)} → ${code ?? 'malformed'}`, () => {
      expect(normalizeCode(input)).to.equal(code);
    });
  }
});

const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(8);
const SIGN_IN = codeBinding({ purpose: 'sign-in', accountId: 'u1', interactionId: 'i1' });

const hashes: { name: string; key: Uint8Array; binding: string; code: string; same: boolean }[] = [
  { name: 'the same key, binding and code', key: KEY, binding: SIGN_IN, code: '123456', same: true },
  { name: 'another code', key: KEY, binding: SIGN_IN, code: '123457', same: false },
  { name: 'another interaction', key: KEY, binding: codeBinding({ purpose: 'sign-in', accountId: 'u1', interactionId: 'i2' }), code: '123456', same: false },
  { name: 'another user', key: KEY, binding: codeBinding({ purpose: 'sign-in', accountId: 'u2', interactionId: 'i1' }), code: '123456', same: false },
  { name: 'another purpose', key: KEY, binding: codeBinding({ purpose: 'password-reset', accountId: 'u1', interactionId: 'i1' }), code: '123456', same: false },
  { name: 'another key', key: OTHER_KEY, binding: SIGN_IN, code: '123456', same: false },
];

describe('mfa/otp: hashCode binds a code to one key, interaction, user and purpose', () => {
  const reference = hashCode(KEY, SIGN_IN, '123456');
  for (const { name, key, binding, code, same } of hashes) {
    it(`${name} → ${same ? 'the same' : 'a different'} hash`, () => {
      expect(hashCode(key, binding, code) === reference).to.equal(same);
    });
  }
  it('is base64url SHA-256 sized and never contains the code', () => {
    expect(reference).to.match(/^[A-Za-z0-9_-]{43}$/).and.not.include('123456');
  });
  it('refuses a short key', () => {
    expect(() => hashCode(new Uint8Array(16), SIGN_IN, '123456')).to.throw(RangeError, /at least 32 bytes/);
  });
  it('refuses an unnormalized code', () => {
    expect(() => hashCode(KEY, SIGN_IN, '123 456')).to.throw(TypeError, /normalized/);
  });
  it('a binding needs every part, and parts cannot be forged across separators', () => {
    expect(() => codeBinding({ purpose: 'sign-in', accountId: '', interactionId: 'i1' })).to.throw(TypeError);
    const a = codeBinding({ purpose: 'sign-in', accountId: 'u1","i', interactionId: 'x' });
    const b = codeBinding({ purpose: 'sign-in', accountId: 'u1', interactionId: 'i","x' });
    expect(a).to.not.equal(b);
  });
});
