// Redaction of audit details, by tables: secret-looking keys at any depth, JWT-looking values,
// the explicit safe keys, and the plain-JSON copy that gets hashed and stored.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { isSecretKey, REDACTED, redactDetails } from '../../../src/audit/redact.js';

const secretKeys = [
  'password', 'Password', 'newPassword', 'pass', 'passphrase', 'PASSWD_x', 'secret', 'clientSecret', 'client_secret',
  'token', 'accessToken', 'refresh_token', 'id_token', 'code', 'otpCode', 'authCode', 'otp', 'OTP', 'totp',
  'cookie', 'Set-Cookie', 'cookies', 'authorization', 'Authorization', 'proxy-authorization', 'zipcode',
];
const plainKeys = ['reasons', 'channel', 'email', 'role', 'before', 'after', 'ip', 'mfaEnabled', 'name', 'count', 'passwordPolicy', 'hasPassword', 'tokenType', 'codeChannel'];

describe('audit/redact: which keys name secrets', () => {
  for (const key of secretKeys) it(`${key} is redacted`, () => expect(isSecretKey(key)).to.equal(true));
  for (const key of plainKeys) it(`${key} is kept`, () => expect(isSecretKey(key)).to.equal(false));
});

const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl';

const cases: { name: string; input: Record<string, unknown>; output: Record<string, unknown> }[] = [
  { name: 'top-level secret', input: { password: 'hunter2', channel: 'sms' }, output: { password: REDACTED, channel: 'sms' } },
  { name: 'nested in before/after', input: { before: { name: 'A', clientSecret: 's1' }, after: { name: 'B', clientSecret: 's2' } }, output: { before: { name: 'A', clientSecret: REDACTED }, after: { name: 'B', clientSecret: REDACTED } } },
  { name: 'objects inside arrays', input: { attempts: [{ code: '123456', ok: false }, { code: '654321', ok: true }] }, output: { attempts: [{ code: REDACTED, ok: false }, { code: REDACTED, ok: true }] } },
  { name: 'a whole object under a secret key', input: { tokens: { access: 'a', refresh: 'r' } }, output: { tokens: REDACTED } },
  { name: 'numbers and nulls under secret keys', input: { otp: 123456, secret: null }, output: { otp: REDACTED, secret: REDACTED } },
  { name: 'header maps', input: { headers: { Authorization: 'Bearer abc', Cookie: 'sid=1', 'user-agent': 'UA' } }, output: { headers: { Authorization: REDACTED, Cookie: REDACTED, 'user-agent': 'UA' } } },
  { name: 'a JWT-looking value under any key', input: { note: jwt, list: ['x', jwt] }, output: { note: REDACTED, list: ['x', REDACTED] } },
  { name: 'safe keys kept, their contents still scanned', input: { passwordPolicy: { minLength: 12, resetToken: 't' }, reasons: ['new_ip'] }, output: { passwordPolicy: { minLength: 12, resetToken: REDACTED }, reasons: ['new_ip'] } },
  { name: 'Dates, ObjectIds and undefined become plain JSON', input: { at: new Date(Date.UTC(2030, 0, 1)), id: new Types.ObjectId('665f1c2e8b3f4a0012345678'), gone: undefined }, output: { at: '2030-01-01T00:00:00.000Z', id: '665f1c2e8b3f4a0012345678' } },
  { name: 'NaN and functions', input: { n: NaN, f: () => 1, keep: 1 }, output: { n: null, keep: 1 } },
  { name: 'deep nesting is cut off', input: { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } }, output: { a: { b: { c: { d: { e: { f: { g: { h: '[truncated]' } } } } } } } } },
];

describe('audit/redact: details are copied without secrets', () => {
  for (const { name, input, output } of cases) {
    it(name, () => expect(redactDetails(input)).to.deep.equal(output));
  }

  it('breaks cycles and leaves the caller\'s object untouched', () => {
    const input: Record<string, unknown> = { password: 'p', name: 'n' };
    input.self = input;
    expect(redactDetails(input)).to.deep.equal({ password: REDACTED, name: 'n', self: '[circular]' });
    expect(input.password).to.equal('p');
  });
});
