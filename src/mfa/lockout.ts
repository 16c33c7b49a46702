// Account lockout against guessing, pure: the caller stores the state and passes the clock.
//
// - Every failed password or code is one failure; `threshold` consecutive failures (default 10,
//   configurable 1..100) lock the account for `lockMs` (default 15 min).
// - Each further lock in a streak doubles the time, capped at `maxLockMs` (default 24 h). A lock that
//   starts `streakResetMs` (default 24 h) or more after the previous lock ended starts a new streak.
// - A success clears the consecutive failures, not the streak (an attacker who also knows one factor
//   must not reset the doubling). Requesting a new code is neither: the caller records nothing.
// - Failures while locked are not counted and do not extend the lock (the caller refuses them
//   before checking anything; extending would let anyone keep a user out forever).
// - An admin unlock forgets everything: the admin vouched for the user.

export interface LockoutState {
  /** Consecutive failures since the last success or lock. */
  readonly failures: number;
  /** Locks in the current streak; the next lock lasts lockMs × 2^locks. */
  readonly locks: number;
  /** End of the current or most recent lock (ms since the epoch). */
  readonly lockedUntil?: number;
}

export interface LockoutSettings {
  readonly threshold: number;
  readonly lockMs: number;
  readonly maxLockMs: number;
  readonly streakResetMs: number;
}

export const MAX_THRESHOLD = 100;
const HOUR = 3_600_000;
export const DEFAULT_LOCKOUT: LockoutSettings = Object.freeze({ threshold: 10, lockMs: 15 * 60_000, maxLockMs: 24 * HOUR, streakResetMs: 24 * HOUR });
export const UNLOCKED: LockoutState = Object.freeze({ failures: 0, locks: 0 });

/** Settings with defaults filled in, checked; a RangeError names each bad field. */
export function lockoutSettings(overrides: Partial<LockoutSettings> = {}): LockoutSettings {
  const settings = { ...DEFAULT_LOCKOUT, ...overrides };
  const problems: string[] = [];
  const { threshold, lockMs, maxLockMs, streakResetMs } = settings;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > MAX_THRESHOLD) problems.push(`threshold must be a whole number from 1 to ${MAX_THRESHOLD}`);
  if (!Number.isSafeInteger(lockMs) || lockMs <= 0) problems.push('lockMs must be a positive whole number of ms');
  if (!Number.isSafeInteger(maxLockMs) || maxLockMs < lockMs) problems.push('maxLockMs must be a whole number of ms, at least lockMs');
  if (!Number.isSafeInteger(streakResetMs) || streakResetMs <= 0) problems.push('streakResetMs must be a positive whole number of ms');
  if (problems.length > 0) throw new RangeError(`Invalid lockout settings: ${problems.join('; ')}`);
  return Object.freeze(settings);
}

export interface FailureResult {
  readonly state: LockoutState;
  readonly locked: boolean;
  readonly lockedUntil: number | undefined;
}

export function recordFailure(state: LockoutState, now: number, settings: LockoutSettings = DEFAULT_LOCKOUT): FailureResult {
  const { threshold, lockMs, maxLockMs, streakResetMs } = lockoutSettings(settings);
  const current = isLocked(state, now);
  if (current.locked) return { state, locked: true, lockedUntil: current.retryAt };
  const failures = state.failures + 1;
  if (failures < threshold) return { state: { ...state, failures }, locked: false, lockedUntil: undefined };
  const streakOver = state.lockedUntil === undefined || now - state.lockedUntil >= streakResetMs;
  const locks = streakOver ? 1 : state.locks + 1;
  const lockedUntil = now + Math.min(maxLockMs, lockMs * 2 ** (locks - 1));
  return { state: { failures: 0, locks, lockedUntil }, locked: true, lockedUntil };
}

export function isLocked(state: LockoutState, now: number): { locked: boolean; retryAt: number | undefined } {
  const locked = state.lockedUntil !== undefined && now < state.lockedUntil;
  return { locked, retryAt: locked ? state.lockedUntil : undefined };
}

export function recordSuccess(state: LockoutState): LockoutState {
  return { ...state, failures: 0 };
}

export function unlock(_state: LockoutState): LockoutState {
  return UNLOCKED;
}
