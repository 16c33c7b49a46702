// Verifying a code: each row starts from a record in some state, types something at some time, and
// expects the outcome, the attempts left and the record to store. Then resend throttling by table.
import { expect } from 'chai';
import {
  canResend, codeBinding, CODE_TTL_MS, hashCode, issueCode, MAX_ATTEMPTS, verifyCode, type CodeRecord, type VerifyOutcome,
} from '../../../../src/mfa/otp/index.js';

const KEY = new Uint8Array(32).fill(3);
const BINDING = codeBinding({ purpose: 'sign-in', accountId: 'u1', interactionId: 'i1' });
const OTHER_LOGIN = codeBinding({ purpose: 'sign-in', accountId: 'u1', interactionId: 'i2' });
const T0 = Date.UTC(2030, 0, 1);
const CODE = '042137';
const fresh: CodeRecord = { hash: hashCode(KEY, BINDING, CODE), issuedAt: T0, expiresAt: T0 + CODE_TTL_MS, attempts: 0 };

const rows: {
  name: string; record?: Partial<CodeRecord>; input: string; binding?: string; at?: number;
  outcome: VerifyOutcome; attemptsLeft: number; stored: Partial<CodeRecord>;
}[] = [
  { name: 'the right code', input: CODE, outcome: 'ok', attemptsLeft: 5, stored: { usedAt: T0 + 1000 } },
  { name: 'the right code typed with a space and a dash', input: ' 042-137 ', outcome: 'ok', attemptsLeft: 5, stored: { usedAt: T0 + 1000 } },
  { name: 'the right code after 3 wrong ones', record: { attempts: 3 }, input: CODE, outcome: 'ok', attemptsLeft: 2, stored: { attempts: 3, usedAt: T0 + 1000 } },
  { name: 'the right code one ms before expiry', input: CODE, at: T0 + CODE_TTL_MS - 1, outcome: 'ok', attemptsLeft: 5, stored: { usedAt: T0 + CODE_TTL_MS - 1 } },
  { name: 'a wrong code', input: '042138', outcome: 'wrong', attemptsLeft: 4, stored: { attempts: 1 } },
  { name: 'the 4th wrong code', record: { attempts: 3 }, input: '000000', outcome: 'wrong', attemptsLeft: 1, stored: { attempts: 4 } },
  { name: 'the 5th wrong code burns it', record: { attempts: 4 }, input: '000000', outcome: 'wrong', attemptsLeft: 0, stored: { attempts: 5, burnedAt: T0 + 1000 } },
  { name: 'the right code after it burned', record: { attempts: 5, burnedAt: T0 + 500 }, input: CODE, outcome: 'burned', attemptsLeft: 0, stored: { attempts: 5, burnedAt: T0 + 500 } },
  { name: 'the right code of another login', input: CODE, binding: OTHER_LOGIN, outcome: 'wrong', attemptsLeft: 4, stored: { attempts: 1 } },
  { name: 'the right code at exactly 10 minutes', input: CODE, at: T0 + CODE_TTL_MS, outcome: 'expired', attemptsLeft: 5, stored: {} },
  { name: 'a wrong code after expiry counts nothing', input: '111111', at: T0 + CODE_TTL_MS + 1, outcome: 'expired', attemptsLeft: 5, stored: {} },
  { name: 'the right code a second time', record: { usedAt: T0 + 10 }, input: CODE, outcome: 'used', attemptsLeft: 5, stored: { usedAt: T0 + 10 } },
  { name: 'a used code that has also expired says used', record: { usedAt: T0 + 10 }, input: CODE, at: T0 + 2 * CODE_TTL_MS, outcome: 'used', attemptsLeft: 5, stored: { usedAt: T0 + 10 } },
  { name: 'five digits', input: '04213', outcome: 'malformed', attemptsLeft: 5, stored: {} },
  { name: 'letters', input: 'O42137', outcome: 'malformed', attemptsLeft: 5, stored: {} },
  { name: 'full-width digits', input: '０４２１３７', outcome: 'malformed', attemptsLeft: 5, stored: {} },
  { name: 'malformed input after 2 wrong codes keeps the count', record: { attempts: 2 }, input: '', outcome: 'malformed', attemptsLeft: 3, stored: { attempts: 2 } },
  { name: 'a record with a corrupted hash never matches', record: { hash: 'short' }, input: CODE, outcome: 'wrong', attemptsLeft: 4, stored: { hash: 'short', attempts: 1 } },
];

describe('mfa/otp: verifyCode', () => {
  for (const { name, record = {}, input, binding = BINDING, at = T0 + 1000, outcome, attemptsLeft, stored } of rows) {
    it(`${name} → ${outcome}, ${attemptsLeft} left`, () => {
      const before = { ...fresh, ...record };
      const result = verifyCode(before, input, binding, KEY, at);
      expect(result.outcome).to.equal(outcome);
      expect(result.attemptsLeft).to.equal(attemptsLeft);
      expect(result.record).to.deep.equal({ ...fresh, ...stored });
      expect(before).to.deep.equal({ ...fresh, ...record }); // the input record is not mutated
    });
  }

  it(`a code issued and then entered wrongly ${MAX_ATTEMPTS} times is burnt, even for the right code`, () => {
    const bytes = () => new Uint8Array([0, 0, 0x30, 0x39]); // 12345
    let { code, record } = issueCode({ randomBytes: bytes, key: KEY, binding: BINDING, now: T0 });
    expect(code).to.equal('012345');
    expect(record).to.deep.equal({ hash: hashCode(KEY, BINDING, '012345'), issuedAt: T0, expiresAt: T0 + CODE_TTL_MS, attempts: 0 });
    const outcomes: VerifyOutcome[] = [];
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const result = verifyCode(record, '999999', BINDING, KEY, T0 + i);
      outcomes.push(result.outcome);
      record = result.record;
    }
    expect(outcomes).to.deep.equal(['wrong', 'wrong', 'wrong', 'wrong', 'wrong']);
    expect(verifyCode(record, code, BINDING, KEY, T0 + 10).outcome).to.equal('burned');
  });
});

const S = 1000;
const M = 60 * S;
const NOW = T0 + 60 * M;
const throttle: { name: string; history: number[]; allowed: boolean; retryAfterMs: number }[] = [
  { name: 'no send yet', history: [], allowed: true, retryAfterMs: 0 },
  { name: 'the last send 30 s ago', history: [NOW - 30 * S], allowed: true, retryAfterMs: 0 },
  { name: 'the last send 29 s ago', history: [NOW - 29 * S], allowed: false, retryAfterMs: 1 * S },
  { name: 'the last send just now', history: [NOW], allowed: false, retryAfterMs: 30 * S },
  { name: '4 sends in 15 minutes, the last 1 min ago', history: [NOW - 10 * M, NOW - 5 * M, NOW - 3 * M, NOW - M], allowed: true, retryAfterMs: 0 },
  { name: '5 sends in 15 minutes: wait for the oldest to leave', history: [NOW - 14 * M, NOW - 10 * M, NOW - 5 * M, NOW - 3 * M, NOW - M], allowed: false, retryAfterMs: M },
  { name: '5 sends, the oldest exactly 15 minutes ago (left the window)', history: [NOW - 15 * M, NOW - 10 * M, NOW - 5 * M, NOW - 3 * M, NOW - M], allowed: true, retryAfterMs: 0 },
  { name: '5 sends out of order', history: [NOW - M, NOW - 3 * M, NOW - 14 * M, NOW - 5 * M, NOW - 10 * M], allowed: false, retryAfterMs: M },
  { name: '7 sends (over the limit): wait for 3 to leave', history: [NOW - 14 * M, NOW - 13 * M, NOW - 12 * M, NOW - 4 * M, NOW - 3 * M, NOW - 2 * M, NOW - M], allowed: false, retryAfterMs: 3 * M },
  { name: '5 sends, the last 10 s ago: the longer wait wins', history: [NOW - 14 * M - 50 * S, NOW - 10 * M, NOW - 5 * M, NOW - 3 * M, NOW - 10 * S], allowed: false, retryAfterMs: 20 * S },
  { name: 'many old sends do not count', history: Array.from({ length: 20 }, (_, i) => NOW - 16 * M - i * M), allowed: true, retryAfterMs: 0 },
];

describe('mfa/otp: canResend (30 s apart, 5 per 15 minutes)', () => {
  for (const { name, history, allowed, retryAfterMs } of throttle) {
    it(`${name} → ${allowed ? 'allowed' : `retry in ${retryAfterMs / S} s`}`, () => {
      expect(canResend(history, NOW)).to.deep.equal({ allowed, retryAfterMs });
    });
  }
});
