// The I/O around sessionState: records a session's sign-in and use, and says whether it may still be
// used. Read by the login prompt's time-out check (every authorization request) and by the console
// gate (every /account and /admin page). A session without a record (signed in before this
// existed, or past its lifetime and swept) counts as expired: one extra sign-in, never a free pass.
//
// Use is written at a resolution of 1/60 of the practice's idle time-out (at most 15 s): a module
// opening several pages in a row costs one write, not one per request. The stored time may then lag
// the last use by that much, so a session can end up to 1/60 of its idle time-out early, never late.
import type { Types } from 'mongoose';
import type { Models, Practice } from '../store/models/index.js';
import type { SessionActivity } from '../store/models/session-activity.js';
import { SESSION_IDLE_BOUNDS } from '../store/models/practice.js';
import { TTL } from './ttl.js';
import { sessionState, type SessionState } from './timeout.js';

export const ABSOLUTE_SESSION_HOURS = TTL.Session / 3600;
/** The longest a use goes unrecorded, and the share of the idle time-out it may take. */
export const TOUCH_RESOLUTION = { maxMs: 15_000, ofIdle: 1 / 60 } as const;

/** Reads the caller may already hold for this request (the oidc request's shared reads). */
export interface ActivityReads {
  /** The session's activity record (a code exchange reads it with the code). */
  activity?(sessionUid: string): Promise<SessionActivity | null>;
  practice?(id: Types.ObjectId): Promise<Pick<Practice, 'sessionIdleMinutes'> | null>;
  /**
   * The practice this request enters (an authorization into practice B, a token of a grant that
   * entered B): ITS idle time-out applies. Default: the practice the session last entered.
   */
  enteredPractice?(): Promise<Types.ObjectId | undefined>;
}

export type SessionActivityTracker = ReturnType<typeof createSessionActivity>;

export function touchResolutionMs(idleMinutes: number): number {
  return Math.min(TOUCH_RESOLUTION.maxMs, idleMinutes * 60_000 * TOUCH_RESOLUTION.ofIdle);
}

export function createSessionActivity({ models, now }: { models: Models; now: () => number }) {
  const { SessionActivity, User, Membership, Practice } = models;
  const readPractice = (id: Types.ObjectId, reads: ActivityReads) => (reads.practice ? reads.practice(id) : Practice.findById(id, { sessionIdleMinutes: 1 }).lean());

  /** The session's record and where it stands. */
  async function load(sessionUid: string, accountId: string, reads: ActivityReads) {
    const activity = await (reads.activity ? reads.activity(sessionUid) : SessionActivity.findById(sessionUid).lean());
    if (!activity || activity.accountId !== accountId) return { state: 'expired' as const };
    const practice = await readPractice((await reads.enteredPractice?.()) ?? activity.practiceId, reads);
    const idleMinutes = practice?.sessionIdleMinutes ?? SESSION_IDLE_BOUNDS.default;
    const state = sessionState({
      signedInAt: activity.signedInAt.getTime(),
      lastSeenAt: activity.lastSeenAt.getTime(),
      now: now(),
      idleMinutes,
      absoluteHours: ABSOLUTE_SESSION_HOURS,
    });
    return { state, lastSeenAt: activity.lastSeenAt.getTime(), idleMinutes, endsAt: activity.signedInAt.getTime() + ABSOLUTE_SESSION_HOURS * 3_600_000 };
  }

  async function firstPractice(sub: string): Promise<Types.ObjectId | undefined> {
    const user = await User.findOne({ sub }, { _id: 1 }).lean();
    const membership = user ? await Membership.findOne({ userId: user._id, status: 'active' }, { practiceId: 1 }).sort({ createdAt: 1, _id: 1 }).lean() : null;
    return membership?.practiceId;
  }

  const touch = async (sessionUid: string): Promise<void> => {
    await SessionActivity.updateOne({ _id: sessionUid }, { $set: { lastSeenAt: new Date(now()) } });
  };

  return {
    /** A full sign-in (password) just completed in this session: both clocks start again. */
    async signedIn(sessionUid: string, accountId: string, reads: ActivityReads = {}): Promise<void> {
      const practiceId = (await reads.enteredPractice?.()) ?? await firstPractice(accountId);
      if (!practiceId) return; // no active membership: findAccount refuses it anyway
      const at = now();
      await SessionActivity.updateOne(
        { _id: sessionUid },
        { $set: { accountId, practiceId, signedInAt: new Date(at), lastSeenAt: new Date(at), expiresAt: new Date(at + TTL.Session * 1000) } },
        { upsert: true },
      );
    },

    /** Where the session stands now, under its practice's idle time-out. */
    async state(sessionUid: string, accountId: string, reads: ActivityReads = {}): Promise<SessionState> {
      return (await load(sessionUid, accountId, reads)).state;
    },

    /** `state`, with the time the sign-in reaches its absolute lifetime (ms); never counts as use. */
    async signIn(sessionUid: string, accountId: string, reads: ActivityReads = {}): Promise<{ state: SessionState; endsAt?: number }> {
      const loaded = await load(sessionUid, accountId, reads);
      return 'endsAt' in loaded ? { state: loaded.state, endsAt: loaded.endsAt } : { state: loaded.state };
    },

    /** The session served a request. */
    touch,

    /** The session entered this practice (the console pages then serve it). */
    async entered(sessionUid: string, practiceId: Types.ObjectId): Promise<void> {
      await SessionActivity.updateOne({ _id: sessionUid, practiceId: { $ne: practiceId } }, { $set: { practiceId } });
    },

    /** The practice the session last entered, or undefined. */
    async practiceOf(sessionUid: string): Promise<Types.ObjectId | undefined> {
      return (await SessionActivity.findById(sessionUid, { practiceId: 1 }).lean())?.practiceId;
    },

    /** `state`, counting the request as activity when the session may still be used. */
    async use(sessionUid: string, accountId: string, reads: ActivityReads = {}): Promise<SessionState> {
      const loaded = await load(sessionUid, accountId, reads);
      if (loaded.state === 'active' && now() - loaded.lastSeenAt >= touchResolutionMs(loaded.idleMinutes)) await touch(sessionUid);
      return loaded.state;
    },
  };
}
