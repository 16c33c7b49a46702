// Account lockout by tables: single failures from a given state, the doubling and its cap over a
// streak, the streak reset, success and unlock, and the settings bounds.
import { expect } from 'chai';
import {
  DEFAULT_LOCKOUT, isLocked, lockoutSettings, recordFailure, recordSuccess, unlock, UNLOCKED, type LockoutSettings, type LockoutState,
} from '../../../src/mfa/lockout.js';

const T0 = Date.UTC(2030, 0, 1);
const MIN = 60_000;
const HOUR = 60 * MIN;

const failures: { name: string; state: LockoutState; at?: number; settings?: Partial<LockoutSettings>; next: LockoutState; locked: boolean; lockedUntil?: number }[] = [
  { name: 'the first failure counts one', state: UNLOCKED, next: { failures: 1, locks: 0 }, locked: false },
  { name: 'the 9th failure does not lock', state: { failures: 8, locks: 0 }, next: { failures: 9, locks: 0 }, locked: false },
  { name: 'the 10th failure locks for 15 minutes', state: { failures: 9, locks: 0 }, next: { failures: 0, locks: 1, lockedUntil: T0 + 15 * MIN }, locked: true, lockedUntil: T0 + 15 * MIN },
  { name: 'a failure while locked is neither counted nor extends the lock', state: { failures: 0, locks: 1, lockedUntil: T0 + MIN }, next: { failures: 0, locks: 1, lockedUntil: T0 + MIN }, locked: true, lockedUntil: T0 + MIN },
  { name: 'a failure the instant the lock ends counts again', state: { failures: 0, locks: 1, lockedUntil: T0 }, next: { failures: 1, locks: 1, lockedUntil: T0 }, locked: false },
  { name: 'the second lock within 24 h doubles to 30 minutes', state: { failures: 9, locks: 1, lockedUntil: T0 - HOUR }, next: { failures: 0, locks: 2, lockedUntil: T0 + 30 * MIN }, locked: true, lockedUntil: T0 + 30 * MIN },
  { name: 'a lock just under 24 h after the last one still doubles', state: { failures: 9, locks: 3, lockedUntil: T0 - 24 * HOUR + 1 }, next: { failures: 0, locks: 4, lockedUntil: T0 + 120 * MIN }, locked: true, lockedUntil: T0 + 120 * MIN },
  { name: 'a lock 24 h after the last one ended starts a new streak', state: { failures: 9, locks: 5, lockedUntil: T0 - 24 * HOUR }, next: { failures: 0, locks: 1, lockedUntil: T0 + 15 * MIN }, locked: true, lockedUntil: T0 + 15 * MIN },
  { name: 'the 7th lock would be 16 h', state: { failures: 9, locks: 6, lockedUntil: T0 }, next: { failures: 0, locks: 7, lockedUntil: T0 + 16 * HOUR }, locked: true, lockedUntil: T0 + 16 * HOUR },
  { name: 'the 8th lock (32 h) is capped at 24 h', state: { failures: 9, locks: 7, lockedUntil: T0 }, next: { failures: 0, locks: 8, lockedUntil: T0 + 24 * HOUR }, locked: true, lockedUntil: T0 + 24 * HOUR },
  { name: 'the 2000th lock stays capped (no overflow)', state: { failures: 9, locks: 1999, lockedUntil: T0 }, next: { failures: 0, locks: 2000, lockedUntil: T0 + 24 * HOUR }, locked: true, lockedUntil: T0 + 24 * HOUR },
  { name: 'threshold 1 locks on the first failure', state: UNLOCKED, settings: { threshold: 1 }, next: { failures: 0, locks: 1, lockedUntil: T0 + 15 * MIN }, locked: true, lockedUntil: T0 + 15 * MIN },
  { name: 'threshold 100: the 99th failure does not lock', state: { failures: 98, locks: 0 }, settings: { threshold: 100 }, next: { failures: 99, locks: 0 }, locked: false },
  { name: 'threshold 100: the 100th failure locks', state: { failures: 99, locks: 0 }, settings: { threshold: 100 }, next: { failures: 0, locks: 1, lockedUntil: T0 + 15 * MIN }, locked: true, lockedUntil: T0 + 15 * MIN },
  { name: 'a 5-minute base lock with a 1 h cap, 5th lock', state: { failures: 2, locks: 4, lockedUntil: T0 }, settings: { threshold: 3, lockMs: 5 * MIN, maxLockMs: HOUR }, next: { failures: 0, locks: 5, lockedUntil: T0 + HOUR }, locked: true, lockedUntil: T0 + HOUR },
];

describe('mfa/lockout: recordFailure', () => {
  for (const { name, state, at = T0, settings, next, locked, lockedUntil } of failures) {
    it(name, () => {
      const result = recordFailure(state, at, settings ? lockoutSettings(settings) : DEFAULT_LOCKOUT);
      expect(result).to.deep.equal({ state: next, locked, lockedUntil });
      expect(isLocked(result.state, at)).to.deep.equal({ locked, retryAt: lockedUntil });
    });
  }
});

/** Fails `threshold` times right after each lock ends, `count` times; returns each lock's length in minutes. */
function lockLengths(count: number, gapAfterLock = 0): number[] {
  let state = UNLOCKED;
  let now = T0;
  const lengths: number[] = [];
  while (lengths.length < count) {
    const result = recordFailure(state, now);
    state = result.state;
    if (result.lockedUntil !== undefined) {
      lengths.push((result.lockedUntil - now) / MIN);
      now = result.lockedUntil + gapAfterLock;
    }
  }
  return lengths;
}

const streaks: { name: string; lengths: number[]; minutes: number[] }[] = [
  { name: 'back-to-back locks double up to the 24 h cap', lengths: lockLengths(9), minutes: [15, 30, 60, 120, 240, 480, 960, 1440, 1440] },
  { name: 'locks 23 h apart keep doubling', lengths: lockLengths(4, 23 * HOUR), minutes: [15, 30, 60, 120] },
  { name: 'locks 24 h apart never double', lengths: lockLengths(4, 24 * HOUR), minutes: [15, 15, 15, 15] },
];

describe('mfa/lockout: a streak of locks', () => {
  for (const { name, lengths, minutes } of streaks) {
    it(`${name}: ${minutes.join(', ')} min`, () => {
      expect(lengths).to.deep.equal(minutes);
    });
  }
});

const transitions: { name: string; apply: (s: LockoutState) => LockoutState; from: LockoutState; to: LockoutState }[] = [
  { name: 'a success clears the failures but keeps the streak', apply: recordSuccess, from: { failures: 7, locks: 2, lockedUntil: T0 - HOUR }, to: { failures: 0, locks: 2, lockedUntil: T0 - HOUR } },
  { name: 'a success does not lift an active lock (the caller refuses sign-in first)', apply: recordSuccess, from: { failures: 0, locks: 1, lockedUntil: T0 + MIN }, to: { failures: 0, locks: 1, lockedUntil: T0 + MIN } },
  { name: 'an admin unlock lifts the lock and forgets the streak', apply: unlock, from: { failures: 0, locks: 6, lockedUntil: T0 + 8 * HOUR }, to: UNLOCKED },
  { name: 'an admin unlock clears failures below the threshold', apply: unlock, from: { failures: 9, locks: 0 }, to: UNLOCKED },
];

describe('mfa/lockout: success and unlock', () => {
  for (const { name, apply, from, to } of transitions) {
    it(name, () => {
      expect(apply(from)).to.deep.equal(to);
    });
  }
  it('after an unlock the account is open and needs a full threshold again', () => {
    const state = unlock({ failures: 0, locks: 3, lockedUntil: T0 + HOUR });
    expect(isLocked(state, T0)).to.deep.equal({ locked: false, retryAt: undefined });
    expect(recordFailure(state, T0).locked).to.equal(false);
  });
});

const settingsRows: { name: string; overrides: Partial<LockoutSettings>; problem?: string }[] = [
  { name: 'the defaults', overrides: {} },
  { name: 'threshold 1', overrides: { threshold: 1 } },
  { name: 'threshold 100', overrides: { threshold: 100 } },
  { name: 'threshold 0', overrides: { threshold: 0 }, problem: 'threshold must be a whole number from 1 to 100' },
  { name: 'threshold 101', overrides: { threshold: 101 }, problem: 'threshold must be a whole number from 1 to 100' },
  { name: 'threshold 2.5', overrides: { threshold: 2.5 }, problem: 'threshold' },
  { name: 'threshold NaN', overrides: { threshold: Number.NaN }, problem: 'threshold' },
  { name: 'a zero lock time', overrides: { lockMs: 0 }, problem: 'lockMs must be a positive' },
  { name: 'a cap below the lock time', overrides: { lockMs: HOUR, maxLockMs: MIN }, problem: 'maxLockMs must be a whole number of ms, at least lockMs' },
  { name: 'an infinite cap', overrides: { maxLockMs: Number.POSITIVE_INFINITY }, problem: 'maxLockMs' },
  { name: 'a negative streak reset', overrides: { streakResetMs: -1 }, problem: 'streakResetMs' },
];

describe('mfa/lockout: settings bounds', () => {
  for (const { name, overrides, problem } of settingsRows) {
    it(`${name} → ${problem ? `refused: ${problem}` : 'accepted'}`, () => {
      if (!problem) expect(lockoutSettings(overrides)).to.deep.equal({ ...DEFAULT_LOCKOUT, ...overrides });
      else expect(() => lockoutSettings(overrides)).to.throw(RangeError, problem);
    });
  }
  it('recordFailure refuses unchecked settings too', () => {
    expect(() => recordFailure(UNLOCKED, T0, { ...DEFAULT_LOCKOUT, threshold: 1000 })).to.throw(RangeError, /threshold/);
  });
});
