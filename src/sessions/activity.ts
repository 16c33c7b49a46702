// The I/O around sessionState: records a session's sign-in and use, and says whether it may still be
// used. Read by the login prompt's time-out check (every authorization request) and by the console
// gate (every /account and /admin page). A session without a record (signed in before this
// existed, or past its lifetime and swept) counts as expired: one extra sign-in, never a free pass.
//
// A person may work for several practices with different idle time-outs in one browser session.
// Use is recorded per practice entered, and a practice's idle time-out counts only use under a rule
// at least as strict as its own (and the sign-in itself): a request entering a lax practice never
// revives a sign-in already idle past a stricter practice's limit (the next person at a shared
// workstation would otherwise reach the strict practice by way of the lax one).
//
// Use is written at a resolution of 1/60 of the practice's idle time-out (at most 15 s): a module
// opening several pages in a row costs one write, not one per request. The stored time may then lag
// the last use by that much, so a session can end up to 1/60 of its idle time-out early, never late.
import { Types } from 'mongoose';
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

  const idleOf = (practice: Pick<Practice, 'sessionIdleMinutes'> | null) => practice?.sessionIdleMinutes ?? SESSION_IDLE_BOUNDS.default;

  /**
   * The last use that counts for a practice with `idleMinutes`: the sign-in, and use in every
   * practice whose idle time-out is no longer than that (the practice itself included).
   */
  async function lastUseFor(activity: SessionActivity, practiceId: Types.ObjectId, idleMinutes: number, reads: ActivityReads): Promise<number> {
    const perPractice = activity.lastSeenIn;
    // A record from before per-practice use: its one clock stands for the practice it worked in.
    if (!perPractice) return activity.practiceId.equals(practiceId) ? activity.lastSeenAt.getTime() : activity.signedInAt.getTime();
    let last = activity.signedInAt.getTime();
    for (const [hex, at] of Object.entries(perPractice)) {
      const seen = new Date(at).getTime();
      if (seen <= last) continue;
      const counts = hex === practiceId.toHexString() || idleOf(await readPractice(new Types.ObjectId(hex), reads)) <= idleMinutes;
      if (counts) last = seen;
    }
    return last;
  }

  /** The session's record and where it stands, for the practice this request enters. */
  async function load(sessionUid: string, accountId: string, reads: ActivityReads) {
    const activity = await (reads.activity ? reads.activity(sessionUid) : SessionActivity.findById(sessionUid).lean());
    if (!activity || activity.accountId !== accountId) return { state: 'expired' as const };
    const practiceId = (await reads.enteredPractice?.()) ?? activity.practiceId;
    const idleMinutes = idleOf(await readPractice(practiceId, reads));
    const lastSeenAt = await lastUseFor(activity, practiceId, idleMinutes, reads);
    const state = sessionState({
      signedInAt: activity.signedInAt.getTime(),
      lastSeenAt,
      now: now(),
      idleMinutes,
      absoluteHours: ABSOLUTE_SESSION_HOURS,
    });
    const seenHere = activity.lastSeenIn?.[practiceId.toHexString()];
    return { state, practiceId, lastSeenHere: seenHere ? new Date(seenHere).getTime() : 0, idleMinutes, endsAt: activity.signedInAt.getTime() + ABSOLUTE_SESSION_HOURS * 3_600_000 };
  }

  async function firstPractice(sub: string): Promise<Types.ObjectId | undefined> {
    const user = await User.findOne({ sub }, { _id: 1 }).lean();
    const membership = user ? await Membership.findOne({ userId: user._id, status: 'active' }, { practiceId: 1 }).sort({ createdAt: 1, _id: 1 }).lean() : null;
    return membership?.practiceId;
  }

  /** The session served a request entering `practiceId` (the session's own practice when unknown). */
  const touch = async (sessionUid: string, practiceId?: Types.ObjectId): Promise<void> => {
    const at = new Date(now());
    const practice = practiceId ?? (await SessionActivity.findById(sessionUid, { practiceId: 1 }).lean())?.practiceId;
    await SessionActivity.updateOne({ _id: sessionUid }, { $set: { lastSeenAt: at, ...(practice ? { [`lastSeenIn.${practice.toHexString()}`]: at } : {}) } });
  };

  return {
    /** A full sign-in (password) just completed in this session: both clocks start again. */
    async signedIn(sessionUid: string, accountId: string, reads: ActivityReads = {}): Promise<void> {
      const practiceId = (await reads.enteredPractice?.()) ?? await firstPractice(accountId);
      if (!practiceId) return; // no active membership: findAccount refuses it anyway
      const at = now();
      await SessionActivity.updateOne(
        { _id: sessionUid },
        { $set: { accountId, practiceId, signedInAt: new Date(at), lastSeenAt: new Date(at), lastSeenIn: { [practiceId.toHexString()]: new Date(at) }, expiresAt: new Date(at + TTL.Session * 1000) } },
        { upsert: true },
      );
    },

    /** Where the session stands, with the time the sign-in reaches its absolute lifetime (ms); never counts as use. */
    async signIn(sessionUid: string, accountId: string, reads: ActivityReads = {}): Promise<{ state: SessionState; endsAt?: number }> {
      const loaded = await load(sessionUid, accountId, reads);
      return 'endsAt' in loaded ? { state: loaded.state, endsAt: loaded.endsAt } : { state: loaded.state };
    },

    /** The session served a request (entering the practice the reads name, else its own). */
    touch: async (sessionUid: string, reads: ActivityReads = {}) => touch(sessionUid, await reads.enteredPractice?.()),

    /** The session entered this practice (the console pages then serve it). */
    async entered(sessionUid: string, practiceId: Types.ObjectId): Promise<void> {
      await SessionActivity.updateOne({ _id: sessionUid, practiceId: { $ne: practiceId } }, { $set: { practiceId } });
    },

    /** Where the session stands, counting the request as activity when the session may still be used. */
    async use(sessionUid: string, accountId: string, reads: ActivityReads = {}): Promise<SessionState> {
      const loaded = await load(sessionUid, accountId, reads);
      if (loaded.state === 'active' && now() - loaded.lastSeenHere >= touchResolutionMs(loaded.idleMinutes)) await touch(sessionUid, loaded.practiceId);
      return loaded.state;
    },
  };
}
