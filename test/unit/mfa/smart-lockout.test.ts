// The two-pool lockout by tables: which pool a failure spends, what each pool's pause blocks, the
// 100-failure cap between complete sign-ins, and what a complete sign-in refills.
import { expect } from 'chai';
import { DEFAULT_LOCKOUT } from '../../../src/mfa/lockout.js';
import {
  CLEAR, FAILURE_CAP, recordCompletedSignIn, recordSourceFailure, statusFor, type Familiarity, type SmartLockoutState,
} from '../../../src/mfa/smart-lockout.js';

const T0 = Date.UTC(2030, 0, 1);
const DAY = 24 * 3_600_000;

/** `count` failures from `from`, one a day (past every pause); returns the state and how many were counted. */
function failDaily(state: SmartLockoutState, from: Familiarity, count: number, start = T0) {
  let counted = 0;
  for (let i = 0; i < count; i++) {
    const result = recordSourceFailure(state, from, start + i * DAY, DEFAULT_LOCKOUT);
    if (result.state !== state) counted++;
    state = result.state;
  }
  return { state, counted };
}

describe('mfa/smart-lockout', () => {
  it('10 unfamiliar failures pause unfamiliar sources only', () => {
    let state = CLEAR;
    for (let i = 0; i < 10; i++) state = recordSourceFailure(state, 'unfamiliar', T0, DEFAULT_LOCKOUT).state;
    expect(statusFor(state, 'unfamiliar', T0)).to.deep.equal({ locked: true, reason: 'paused', retryAt: T0 + 15 * 60_000 });
    expect(statusFor(state, 'familiar', T0)).to.deep.equal({ locked: false });
  });

  it('10 familiar failures pause every source', () => {
    let state = CLEAR;
    for (let i = 0; i < 10; i++) state = recordSourceFailure(state, 'familiar', T0, DEFAULT_LOCKOUT).state;
    expect(statusFor(state, 'familiar', T0).locked).to.equal(true);
    expect(statusFor(state, 'unfamiliar', T0).locked).to.equal(true);
  });

  it('one failure a day: unfamiliar sources stop at 50, familiar ones at 50 more; never more than 100', () => {
    const strangers = failDaily(CLEAR, 'unfamiliar', 400);
    expect(strangers.counted).to.equal(50);
    expect(statusFor(strangers.state, 'unfamiliar', T0 + 1000 * DAY)).to.deep.equal({ locked: true, reason: 'unfamiliar_cap' });
    expect(statusFor(strangers.state, 'familiar', T0 + 1000 * DAY).locked).to.equal(false);
    const home = failDaily(strangers.state, 'familiar', 400, T0 + 401 * DAY);
    expect(home.counted).to.equal(50);
    expect(strangers.counted + home.counted).to.equal(FAILURE_CAP);
    expect(statusFor(home.state, 'familiar', T0 + 10_000 * DAY)).to.deep.equal({ locked: true, reason: 'cap' });
  });

  it('a complete sign-in refills both budgets but keeps the doubling streak', () => {
    const { state } = failDaily(CLEAR, 'unfamiliar', 60);
    const refilled = recordCompletedSignIn(state);
    expect(refilled.unfamiliar.spent).to.equal(0);
    expect(refilled.familiar.spent).to.equal(0);
    expect(refilled.unfamiliar.locks).to.equal(state.unfamiliar.locks);
    expect(statusFor(refilled, 'unfamiliar', T0 + 1000 * DAY).locked).to.equal(false);
  });

  it('a failure while refused is neither counted nor extends anything', () => {
    const { state } = failDaily(CLEAR, 'unfamiliar', 50);
    const again = recordSourceFailure(state, 'unfamiliar', T0 + 100 * DAY, DEFAULT_LOCKOUT);
    expect(again.state).to.equal(state);
    expect(again.justLocked).to.equal(false);
  });
});
