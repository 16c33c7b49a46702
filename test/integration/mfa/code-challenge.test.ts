// The shared code challenge (src/mfa/code-challenge.ts) on a real store: a code is bound to its
// purpose, account and interaction (the same digits never cross over), a resend kills the old code
// and gains no tries past the throttle, expiry is our check (the TTL monitor is stopped here), and
// two parallel issues send one code. The random source is fixed where the point is "same digits".
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import { createCodeChallenges, type CodeBinding, type CodeChallenges, type CodePurpose } from '../../../src/mfa/code-challenge.js';
import { createCodeMessageCap } from '../../../src/mfa/code-message-cap.js';
import { otpChallengeModel } from '../../../src/store/models/otp-challenge.js';
import { FakeClock } from '../../helpers/clock.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';

const HOUR = 3_600_000;
/** Always the 4 bytes 0x00 0x00 0x30 0x39: the code 012345, whatever the purpose. */
const sameDigits = () => Uint8Array.from([0, 0, 0x30, 0x39]);

describe('mfa: one code challenge for every emailed or texted code', () => {
  let store: StoreUnderTest;
  let connection: Connection;
  let clock: FakeClock;
  let sequence = 0;
  const key = randomBytes(32);

  before(async () => {
    store = await storeUnderTest();
    connection = await mongoose.createConnection(store.uri).asPromise();
  });
  after(async () => {
    await connection.close();
    await store.close();
  });
  beforeEach(() => { clock = store.clock ?? new FakeClock(Date.now()); });

  const challenges = (random: (n: number) => Uint8Array = randomBytes): CodeChallenges => createCodeChallenges({
    model: otpChallengeModel(connection), key, now: clock.now, randomBytes: random,
    codeMessages: createCodeMessageCap({ connection, now: clock.now }),
  });
  const bindingOf = (purpose: CodePurpose, accountId: string, interactionId: string): CodeBinding => ({ purpose, accountId, interactionId });
  async function issued(codes: CodeChallenges, id: string, binding: CodeBinding): Promise<string> {
    const result = await codes.issue({ id, binding, channel: 'email', destination: 'p•••@clinic.test', retentionMs: HOUR, reserveMessage: true });
    if (result.status !== 'issued') throw new Error(`expected a code, got ${result.status}`);
    return result.code;
  }

  it('the same digits never cross purposes: a reset code fails as a sign-in code, a sign-in code as a phone verification', async () => {
    const codes = challenges(sameDigits);
    const account = `user-${++sequence}`;
    const id = `shared-${sequence}`;
    // A reset code on the sign-in page: same account, same record, same digits, another purpose.
    const code = await issued(codes, id, bindingOf('password-reset', account, id));
    expect(code).to.equal('012345');
    const asSignIn = await codes.check(id, code, () => bindingOf('sign-in', account, id));
    expect(asSignIn.outcome).to.equal('wrong');
    const asVoid = await codes.check(id, code, () => bindingOf('password-reset-no-account', account, id));
    expect(asVoid.outcome).to.equal('wrong');
    expect((await codes.check(id, code, () => bindingOf('password-reset', account, id))).outcome).to.equal('ok');

    // A sign-in code used for phone verification (and for another account's sign-in).
    const other = `phone-${sequence}`;
    const signIn = await issued(codes, other, bindingOf('sign-in', account, other));
    expect((await codes.check(other, signIn, () => bindingOf('phone-verification', account, other))).outcome).to.equal('wrong');
    expect((await codes.check(other, signIn, () => bindingOf('sign-in', `someone-else-${sequence}`, other))).outcome).to.equal('wrong');
    expect((await codes.check(other, signIn, () => bindingOf('sign-in', account, `another-interaction-${sequence}`))).outcome).to.equal('wrong');
    const right = await codes.check(other, signIn, () => bindingOf('sign-in', account, other));
    expect(right.outcome).to.equal('ok');
    expect(right.attemptsLeft).to.equal(2, 'the three crossed tries counted as wrong tries');
  });

  it('a resend kills the old code, and gains no tries while the throttle holds', async () => {
    const codes = challenges();
    const account = `user-${++sequence}`;
    const id = `resend-${sequence}`;
    const binding = bindingOf('sign-in', account, id);
    const first = await issued(codes, id, binding);
    const wrong = first === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) await codes.check(id, wrong, () => binding);
    const early = await codes.issue({ id, binding, channel: 'email', destination: 'x', retentionMs: HOUR, reserveMessage: true });
    expect(early.status).to.equal('throttled');
    expect((await codes.check(id, wrong, () => binding)).attemptsLeft).to.equal(0, 'the 5th wrong try burnt the code; no resend reset it');
    expect((await codes.check(id, first, () => binding)).outcome).to.equal('burned');

    clock.advance(30_000);
    const second = await issued(codes, id, binding);
    if (second !== first) expect((await codes.check(id, first, () => binding)).outcome).to.equal('wrong');
    expect((await codes.check(id, second, () => binding)).outcome).to.equal('ok');
    expect((await codes.check(id, second, () => binding)).outcome).to.equal('used', 'single use');
  });

  it('expiry is checked by our code at 10 minutes, with the record still in the store', async () => {
    const codes = challenges();
    const id = `expiry-${++sequence}`;
    const binding = bindingOf('phone-verification', `user-${sequence}`, '+15005550006');
    const code = await issued(codes, id, binding);
    clock.advance(10 * 60_000);
    expect(await codes.find(id)).to.not.equal(undefined, 'the record outlives its code (retention)');
    expect((await codes.check(id, code, () => binding)).outcome).to.equal('expired');
  });

  it('two parallel issues send one code and reserve one message', async () => {
    const codes = challenges();
    const account = `user-${++sequence}`;
    const id = `parallel-${sequence}`;
    const binding = bindingOf('sign-in', account, id);
    const request = { id, binding, channel: 'email' as const, destination: 'x', retentionMs: HOUR, reserveMessage: true };
    const results = await Promise.all([codes.issue(request), codes.issue(request)]);
    expect(results.map((result) => result.status).sort()).to.deep.equal(['issued', 'throttled']);
    const messages = await connection.db!.collection('code_messages').countDocuments({ userSub: account });
    expect(messages).to.equal(1);
  });
});
