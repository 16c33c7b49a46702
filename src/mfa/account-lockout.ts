// Account lockout in the store, over the pure rules of lockout.ts: failed passwords and failed codes
// count together. Every change is a compare-and-swap on `lockout.version`, so concurrent failures
// on two instances are all counted and none is lost.
import type { Types } from 'mongoose';
import type { Models } from '../store/models/index.js';
import type { UserLockout } from '../store/models/user.js';
import { isLocked, lockoutSettings, recordFailure, recordSuccess, UNLOCKED, type LockoutSettings, type LockoutState } from './lockout.js';

export interface LockStatus {
  locked: boolean;
  /** When the lock ends (ms since the epoch), while locked. */
  retryAt?: number;
}

export interface FailureOutcome extends LockStatus {
  /** This failure started the lock. */
  justLocked: boolean;
}

export type AccountLockout = ReturnType<typeof createAccountLockout>;

const MAX_TRIES = 20;

export function createAccountLockout({ models, now, settings }: { models: Models; now: () => number; settings?: Partial<LockoutSettings> }) {
  const { User } = models;
  const rules = lockoutSettings(settings);

  /** Applies `change` to the stored state atomically; returns the old and new state. */
  async function update(userId: Types.ObjectId, change: (state: LockoutState) => LockoutState) {
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const user = await User.findById(userId, { lockout: 1 }).lean();
      if (!user) return undefined;
      const stored = user.lockout as Partial<UserLockout> | undefined;
      const before = toState(stored);
      const after = change(before);
      if (sameState(before, after)) return { before, after };
      const version = stored?.version ?? 0;
      const updated = await User.findOneAndUpdate(
        { _id: userId, 'lockout.version': version === 0 ? { $in: [0, null] } : version },
        { $set: { lockout: toStored(after, version + 1) } },
        { projection: { _id: 1 } },
      ).lean();
      if (updated) return { before, after };
    }
    throw new Error('account lockout state kept changing under us');
  }

  return {
    settings: rules,

    status(user: { lockout?: Partial<UserLockout> }): LockStatus {
      const { locked, retryAt } = isLocked(toState(user.lockout), now());
      return locked ? { locked, retryAt: retryAt! } : { locked: false };
    },

    async failure(userId: Types.ObjectId): Promise<FailureOutcome> {
      let result: ReturnType<typeof recordFailure> | undefined;
      const changed = await update(userId, (state) => (result = recordFailure(state, now(), rules)).state);
      const justLocked = Boolean(changed && result?.locked && !isLocked(changed.before, now()).locked);
      return result?.locked ? { locked: true, retryAt: result.lockedUntil!, justLocked } : { locked: false, justLocked: false };
    },

    async success(userId: Types.ObjectId): Promise<void> {
      await update(userId, recordSuccess);
    },

    /** An admin's or operator's unlock: everything forgotten. True when the user was locked. */
    async unlock(userId: Types.ObjectId): Promise<boolean> {
      const changed = await update(userId, () => UNLOCKED);
      return Boolean(changed && isLocked(changed.before, now()).locked);
    },
  };
}

function toState(stored: Partial<UserLockout> | undefined): LockoutState {
  return {
    failures: stored?.failures ?? 0,
    locks: stored?.locks ?? 0,
    ...(stored?.lockedUntil ? { lockedUntil: new Date(stored.lockedUntil).getTime() } : {}),
  };
}

function toStored(state: LockoutState, version: number): UserLockout {
  return { failures: state.failures, locks: state.locks, ...(state.lockedUntil !== undefined ? { lockedUntil: new Date(state.lockedUntil) } : {}), version };
}

function sameState(a: LockoutState, b: LockoutState): boolean {
  return a.failures === b.failures && a.locks === b.locks && a.lockedUntil === b.lockedUntil;
}
