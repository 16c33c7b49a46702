// Account lockout in the store, over the pure rules of smart-lockout.ts (two pools, familiar and
// unfamiliar sources, and the 100-failure cap between completed sign-ins) and lockout.ts (the
// doubling pause of each pool). Every failed secret, wherever it is typed (password, sign-in code,
// reset code, phone-verification code, current password on /account), goes through `failed`; only
// `completedSignIn` refills the budgets. Every change is a compare-and-swap on `lockout.version`,
// so concurrent failures on two instances are all counted and none is lost.
//
// When unfamiliar sources pause or use up their budget, the user is emailed (at most once a day:
// an attacker must not be able to flood their inbox) and the admin's user page shows the counts.
import type { Types } from 'mongoose';
import type { AuditInput, AuditLog } from '../audit/record.js';
import type { Models } from '../store/models/index.js';
import type { UserLockout } from '../store/models/user.js';
import type { KnownDevices } from './known-devices.js';
import { lockoutSettings, type LockoutSettings } from './lockout.js';
import type { SignInNetworks } from './sign-in-networks.js';
import {
  CLEAR, recordCompletedSignIn, recordSourceFailure, statusFor, type Familiarity, type LockReason, type PoolState, type SmartLockoutState,
} from './smart-lockout.js';

export type { Familiarity } from './smart-lockout.js';

export interface LockStatus {
  locked: boolean;
  /** When the pause ends (ms since the epoch); absent when only an unlock or a sign-in ends it. */
  retryAt?: number;
  reason?: LockReason;
}

export interface FailureOutcome extends LockStatus {
  /** This failure started the lock. */
  justLocked: boolean;
}

/** Where a secret was typed: the client address and the browser's device cookie. */
export interface Source {
  ip?: string | undefined;
  deviceId?: string | undefined;
}

export interface LockoutUser {
  _id: Types.ObjectId;
  sub: string;
  practiceId: Types.ObjectId;
  email: string;
  name: string;
  /** Their last sign-in's language: the attack notice is written in it (src/i18n/). */
  language?: string;
}

/** What an admin sees of a user's lockout. */
export interface LockoutReport extends LockStatus {
  familiarFailures: number;
  unfamiliarFailures: number;
  /** Unfamiliar sources are paused or refused while the user can still sign in from familiar ones. */
  underAttack: boolean;
  unfamiliarRetryAt?: number;
}

export interface AttackNotice {
  user: LockoutUser;
  at: number;
  ip?: string;
}

export type AccountLockout = ReturnType<typeof createAccountLockout>;

/** Whether the source's device and network are the user's own (what familiarity is made of). */
export interface SeenSignals {
  device: boolean;
  network: boolean;
}

/** The user's lockout state as read by this request (null: no such user). */
export type ReadLockout = { lockout?: Partial<UserLockout> | undefined } | null;

const MAX_TRIES = 20;
const NOTICE_INTERVAL_MS = 24 * 3_600_000;

export interface AccountLockoutDeps {
  models: Models;
  now: () => number;
  settings?: Partial<LockoutSettings>;
  devices?: Pick<KnownDevices, 'isKnown'>;
  networks?: Pick<SignInNetworks, 'seen'>;
  audit?: AuditLog;
  /** Emails the user that their account is being attacked (never throws). */
  notifyAttack?: (notice: AttackNotice) => Promise<unknown>;
}

export function createAccountLockout({ models, now, settings, devices, networks, audit, notifyAttack }: AccountLockoutDeps) {
  const { User } = models;
  const rules = lockoutSettings(settings);

  /**
   * Applies `change` to the stored state atomically; returns the old and new state. `read`: the
   * state as this request just read it, tried first (the compare-and-swap on its version makes a
   * stale one fail and be read again; unchanged, nothing is written either way).
   */
  async function update(userId: Types.ObjectId, change: (state: SmartLockoutState, stored: Partial<UserLockout> | undefined) => { state: SmartLockoutState; noticeAt?: Date }, read?: ReadLockout) {
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const user = attempt === 0 && read ? read : await User.findById(userId, { lockout: 1 }).lean();
      if (!user) return undefined;
      const stored = user.lockout as Partial<UserLockout> | undefined;
      const before = toState(stored);
      const { state: after, noticeAt } = change(before, stored);
      if (sameState(before, after) && !noticeAt) return { before, after, noticed: false };
      const version = stored?.version ?? 0;
      const updated = await User.findOneAndUpdate(
        { _id: userId, 'lockout.version': version === 0 ? { $in: [0, null] } : version },
        { $set: { lockout: toStored(after, version + 1, noticeAt ?? stored?.attackNoticeAt) } },
        { projection: { _id: 1 } },
      ).lean();
      if (updated) return { before, after, noticed: Boolean(noticeAt) };
    }
    throw new Error('account lockout state kept changing under us');
  }

  const statusOf = (stored: Partial<UserLockout> | undefined, from: Familiarity): LockStatus => {
    const status = statusFor(toState(stored), from, now());
    return status.locked ? { locked: true, reason: status.reason!, ...(status.retryAt ? { retryAt: status.retryAt } : {}) } : { locked: false };
  };

  async function signals(userId: Types.ObjectId, source: Source): Promise<SeenSignals> {
    const [device, network] = await Promise.all([
      devices?.isKnown(userId, source.deviceId) ?? false,
      networks?.seen(userId, source.ip) ?? false,
    ]);
    return { device, network };
  }
  const familiarOf = (seen: SeenSignals): Familiarity => (seen.device || seen.network ? 'familiar' : 'unfamiliar');
  const familiarity = async (userId: Types.ObjectId, source: Source) => familiarOf(await signals(userId, source));

  /**
   * Counts one failure from `from` (default: familiar, the pool that pauses the account everywhere);
   * emails `notice.user` when unfamiliar sources just got refused.
   */
  async function failure(userId: Types.ObjectId, from: Familiarity = 'familiar', notice?: { user: LockoutUser; ip?: string | undefined }): Promise<FailureOutcome> {
    let outcome: ReturnType<typeof recordSourceFailure> | undefined;
    const changed = await update(userId, (state, stored) => {
      outcome = recordSourceFailure(state, from, now(), rules);
      const lastNotice = stored?.attackNoticeAt ? new Date(stored.attackNoticeAt).getTime() : undefined;
      const notify = from === 'unfamiliar' && outcome.justLocked && (lastNotice === undefined || now() - lastNotice >= NOTICE_INTERVAL_MS);
      return { state: outcome.state, ...(notify ? { noticeAt: new Date(now()) } : {}) };
    });
    if (!changed || !outcome) return { locked: false, justLocked: false };
    // After the answer: the mail server's time must not show in the response.
    if (changed.noticed && notifyAttack && notice) void notifyAttack({ user: notice.user, at: now(), ...(notice.ip ? { ip: notice.ip } : {}) });
    const { status, justLocked } = outcome;
    return status.locked ? { locked: true, reason: status.reason!, ...(status.retryAt ? { retryAt: status.retryAt } : {}), justLocked } : { locked: false, justLocked };
  }

  return {
    settings: rules,
    familiarity,

    /** The lock as seen from a `from` source (default: familiar, what the user sees at home), on the state read with the user. */
    status(user: { lockout?: Partial<UserLockout> }, from: Familiarity = 'familiar'): LockStatus {
      return statusOf(user.lockout, from);
    },

    /**
     * May a secret typed at `source` be checked now? Reads the current state from the store (after
     * the password's verification: failures counted meanwhile by parallel tries count). Returns
     * the state read (for `success`) and the device and network signals (for the risk engine).
     */
    async check(user: Pick<LockoutUser, '_id'>, source: Source, read?: { seen: SeenSignals; stored: ReadLockout }): Promise<LockStatus & { from: Familiarity; seen: SeenSignals; stored: ReadLockout }> {
      // `read`: the same two reads, made by the caller after the verification (password-step-reads.ts).
      const [seen, stored] = read ? [read.seen, read.stored] : await Promise.all([signals(user._id, source), User.findById(user._id, { lockout: 1 }).lean()]);
      const from = familiarOf(seen);
      return { ...statusOf(stored?.lockout, from), from, seen, stored };
    },

    failure,

    /**
     * One failed secret typed at `source`: counted in its pool, audited (`account.locked`) when it
     * starts a lock. `about` is the request's audit context.
     */
    async failed(user: LockoutUser, source: Source & { from?: Familiarity }, about: Pick<AuditInput, 'ip' | 'userAgent' | 'clientId'> = {}): Promise<FailureOutcome> {
      const from = source.from ?? await familiarity(user._id, source);
      const outcome = await failure(user._id, from, { user, ip: source.ip });
      if (outcome.justLocked && audit) {
        await audit.record({
          ...about, practiceId: user.practiceId.toHexString(), userSub: user.sub, event: 'account.locked', outcome: 'info',
          reasons: ['too_many_failures', `${from}_sources`, ...(outcome.reason && outcome.reason !== 'paused' ? [outcome.reason] : [])],
          details: outcome.retryAt ? { until: new Date(outcome.retryAt).toISOString() } : { until: 'unlock' },
        });
      }
      return outcome;
    },

    /** A sign-in completed with every factor the rules asked for: both budgets refilled. `read`: from `check`. */
    async success(userId: Types.ObjectId, read?: ReadLockout): Promise<void> {
      await update(userId, (state) => ({ state: recordCompletedSignIn(state) }), read);
    },

    /** An admin's or operator's unlock: everything forgotten. True when the user was locked anywhere. */
    async unlock(userId: Types.ObjectId): Promise<boolean> {
      const changed = await update(userId, () => ({ state: CLEAR }));
      return Boolean(changed && statusFor(changed.before, 'unfamiliar', now()).locked);
    },

    /** The admin's view of a user's lockout. */
    report(user: { lockout?: Partial<UserLockout> }): LockoutReport {
      const state = toState(user.lockout);
      const familiar = statusOf(user.lockout, 'familiar');
      const unfamiliar = statusFor(state, 'unfamiliar', now());
      return {
        ...familiar,
        familiarFailures: state.familiar.spent,
        unfamiliarFailures: state.unfamiliar.spent,
        underAttack: !familiar.locked && unfamiliar.locked,
        ...(!familiar.locked && unfamiliar.retryAt ? { unfamiliarRetryAt: unfamiliar.retryAt } : {}),
      };
    },
  };
}

function poolOf(stored: { failures?: number; locks?: number; lockedUntil?: Date; spent?: number } | undefined): PoolState {
  return {
    failures: stored?.failures ?? 0,
    locks: stored?.locks ?? 0,
    spent: stored?.spent ?? 0,
    ...(stored?.lockedUntil ? { lockedUntil: new Date(stored.lockedUntil).getTime() } : {}),
  };
}

function toState(stored: Partial<UserLockout> | undefined): SmartLockoutState {
  return { familiar: poolOf(stored), unfamiliar: poolOf(stored?.unfamiliar) };
}

function storedPool(pool: PoolState) {
  return { failures: pool.failures, locks: pool.locks, spent: pool.spent, ...(pool.lockedUntil !== undefined ? { lockedUntil: new Date(pool.lockedUntil) } : {}) };
}

function toStored(state: SmartLockoutState, version: number, attackNoticeAt: Date | undefined): UserLockout {
  return { ...storedPool(state.familiar), unfamiliar: storedPool(state.unfamiliar), ...(attackNoticeAt ? { attackNoticeAt } : {}), version };
}

function samePool(a: PoolState, b: PoolState): boolean {
  return a.failures === b.failures && a.locks === b.locks && a.lockedUntil === b.lockedUntil && a.spent === b.spent;
}

function sameState(a: SmartLockoutState, b: SmartLockoutState): boolean {
  return samePool(a.familiar, b.familiar) && samePool(a.unfamiliar, b.unfamiliar);
}
