// The account's lockout over two pools, pure (the caller stores the state and passes the clock):
// failures from familiar sources (a known device of this user, or a network they completed a sign-in
// from) and from unfamiliar ones are counted apart, so strangers guessing from anywhere never lock
// the real user out of a sign-in from their own device or network (the way Entra smart lockout and
// Okta's familiar/unfamiliar locations work).
//
// - Each pool follows lockout.ts: `threshold` consecutive failures pause it for 15 minutes, doubling.
//   A paused familiar pool pauses the account for every source; a paused unfamiliar pool pauses
//   only unfamiliar sources.
// - Every failed secret (password, sign-in code, reset code, phone-verification code) spends one
//   attempt of its pool's budget. Only a completed sign-in with every factor the rules asked for
//   refills both budgets (a password change or reset does not). The budgets add up to 100 (NIST SP
//   800-63B §5.2.2), however the failures are spread in time:
//   - the unfamiliar budget spent: unfamiliar sources are refused until the user completes a sign-in
//     (from a familiar source) or an admin unlocks;
//   - the familiar budget spent: the account is refused everywhere until an admin unlocks it.
// - Failures while refused are neither counted nor extend anything.
import { isLocked, recordFailure, recordSuccess, UNLOCKED, type LockoutSettings, type LockoutState } from './lockout.js';

export type Familiarity = 'familiar' | 'unfamiliar';

/** Failed attempts an account may take between two completed sign-ins, from all sources together. */
export const FAILURE_CAP = 100;
/** The part of FAILURE_CAP that unfamiliar sources may spend; familiar sources have the rest. */
export const UNFAMILIAR_BUDGET = 50;
export const FAMILIAR_BUDGET = FAILURE_CAP - UNFAMILIAR_BUDGET;

export interface PoolState extends LockoutState {
  /** Failures since the last completed sign-in (or unlock). */
  readonly spent: number;
}

export interface SmartLockoutState {
  readonly familiar: PoolState;
  readonly unfamiliar: PoolState;
}

export const CLEAR_POOL: PoolState = Object.freeze({ ...UNLOCKED, spent: 0 });
export const CLEAR: SmartLockoutState = Object.freeze({ familiar: CLEAR_POOL, unfamiliar: CLEAR_POOL });

/**
 * Why a source is refused: `paused` runs out at `retryAt`; `cap` needs an admin; `unfamiliar_cap`
 * needs a completed sign-in from a familiar source (or an admin).
 */
export type LockReason = 'paused' | 'cap' | 'unfamiliar_cap';

export interface SourceStatus {
  locked: boolean;
  reason?: LockReason;
  retryAt?: number;
}

const budgetOf = (from: Familiarity) => (from === 'familiar' ? FAMILIAR_BUDGET : UNFAMILIAR_BUDGET);

/** Whether a secret from a `from` source may be checked now. */
export function statusFor(state: SmartLockoutState, from: Familiarity, now: number): SourceStatus {
  const pools: Familiarity[] = from === 'familiar' ? ['familiar'] : ['familiar', 'unfamiliar'];
  for (const pool of pools) {
    if (state[pool].spent >= budgetOf(pool)) return { locked: true, reason: pool === 'familiar' ? 'cap' : 'unfamiliar_cap' };
  }
  const retryAt = Math.max(...pools.map((pool) => isLocked(state[pool], now).retryAt ?? 0));
  return retryAt > 0 ? { locked: true, reason: 'paused', retryAt } : { locked: false };
}

export interface SmartFailure {
  state: SmartLockoutState;
  status: SourceStatus;
  /** This failure paused or capped a pool that was open. */
  justLocked: boolean;
}

export function recordSourceFailure(state: SmartLockoutState, from: Familiarity, now: number, settings: LockoutSettings): SmartFailure {
  const before = statusFor(state, from, now);
  if (before.locked) return { state, status: before, justLocked: false };
  const pool = state[from];
  const { state: next } = recordFailure(pool, now, settings);
  const after: SmartLockoutState = { ...state, [from]: { ...next, spent: pool.spent + 1 } };
  const status = statusFor(after, from, now);
  return { state: after, status, justLocked: status.locked };
}

/** A sign-in completed with every factor asked for: both budgets refilled, the doubling kept. */
export function recordCompletedSignIn(state: SmartLockoutState): SmartLockoutState {
  return {
    familiar: { ...recordSuccess(state.familiar), spent: 0 },
    unfamiliar: { ...recordSuccess(state.unfamiliar), spent: 0 },
  };
}
