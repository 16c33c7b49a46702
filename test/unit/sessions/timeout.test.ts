import { expect } from 'chai';
import { sessionState, type SessionState } from '../../../src/sessions/timeout.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2030, 0, 1, 8);

describe('sessionState', () => {
  const cases: Array<[string, { signedIn: number; lastSeen: number; now: number; idle?: number; absolute?: number }, SessionState]> = [
    ['just signed in', { signedIn: 0, lastSeen: 0, now: 0 }, 'active'],
    ['14 idle minutes', { signedIn: 0, lastSeen: 0, now: 14 * MIN }, 'active'],
    ['one millisecond before the idle limit', { signedIn: 0, lastSeen: 0, now: 15 * MIN - 1 }, 'active'],
    ['exactly at the idle limit', { signedIn: 0, lastSeen: 0, now: 15 * MIN }, 'idle'],
    ['16 idle minutes', { signedIn: 0, lastSeen: 0, now: 16 * MIN }, 'idle'],
    ['recent activity restarts the idle count', { signedIn: 0, lastSeen: 10 * MIN, now: 24 * MIN }, 'active'],
    ['a practice with a 1-minute idle limit', { signedIn: 0, lastSeen: 0, now: 2 * MIN, idle: 1 }, 'idle'],
    ['a practice with a 12-hour idle limit', { signedIn: 0, lastSeen: 0, now: 11 * HOUR, idle: 720 }, 'active'],
    ['busy all shift, under 12 hours', { signedIn: 0, lastSeen: 12 * HOUR - 2 * MIN, now: 12 * HOUR - MIN }, 'active'],
    ['busy all shift, 12 hours reached', { signedIn: 0, lastSeen: 12 * HOUR - MIN, now: 12 * HOUR }, 'expired'],
    ['idle and past the lifetime: expired wins', { signedIn: 0, lastSeen: 0, now: 13 * HOUR }, 'expired'],
    ['a clock behind the last activity counts as active', { signedIn: 0, lastSeen: 5 * MIN, now: 4 * MIN }, 'active'],
    ['last seen before the sign-in: the sign-in counts', { signedIn: 30 * MIN, lastSeen: 0, now: 40 * MIN }, 'active'],
    ['a shorter absolute lifetime', { signedIn: 0, lastSeen: 59 * MIN, now: 60 * MIN, absolute: 1 }, 'expired'],
    ['unreadable times are expired', { signedIn: Number.NaN, lastSeen: 0, now: 0 }, 'expired'],
  ];
  for (const [name, times, expected] of cases) {
    it(`${name}: ${expected}`, () => {
      expect(sessionState({
        signedInAt: T0 + times.signedIn,
        lastSeenAt: T0 + times.lastSeen,
        now: T0 + times.now,
        idleMinutes: times.idle ?? 15,
        absoluteHours: times.absolute ?? 12,
      })).to.equal(expected);
    });
  }
});
