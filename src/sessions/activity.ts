// The I/O around sessionState: records a session's sign-in and use, and says whether it may still be
// used. Read by the login prompt's time-out check (every authorization request) and by the console
// gate (every /account and /admin page). A session without a record (signed in before this
// existed, or past its lifetime and swept) counts as expired: one extra sign-in, never a free pass.
import type { Models } from '../store/models/index.js';
import { SESSION_IDLE_BOUNDS } from '../store/models/practice.js';
import { TTL } from '../oidc/ttl.js';
import { sessionState, type SessionState } from './timeout.js';

export const ABSOLUTE_SESSION_HOURS = TTL.Session / 3600;

export type SessionActivityTracker = ReturnType<typeof createSessionActivity>;

export function createSessionActivity({ models, now }: { models: Models; now: () => number }) {
  const { SessionActivity, User, Practice } = models;

  return {
    /** A full sign-in (password) just completed in this session: both clocks start again. */
    async signedIn(sessionUid: string, accountId: string): Promise<void> {
      const user = await User.findOne({ sub: accountId }, { practiceId: 1 }).lean();
      if (!user) return; // findAccount refuses it anyway
      const at = now();
      await SessionActivity.updateOne(
        { _id: sessionUid },
        { $set: { accountId, practiceId: user.practiceId, signedInAt: new Date(at), lastSeenAt: new Date(at), expiresAt: new Date(at + TTL.Session * 1000) } },
        { upsert: true },
      );
    },

    /** Where the session stands now, under its practice's idle time-out. */
    async state(sessionUid: string, accountId: string): Promise<SessionState> {
      const activity = await SessionActivity.findById(sessionUid).lean();
      if (!activity || activity.accountId !== accountId) return 'expired';
      const practice = await Practice.findById(activity.practiceId, { sessionIdleMinutes: 1 }).lean();
      return sessionState({
        signedInAt: activity.signedInAt.getTime(),
        lastSeenAt: activity.lastSeenAt.getTime(),
        now: now(),
        idleMinutes: practice?.sessionIdleMinutes ?? SESSION_IDLE_BOUNDS.default,
        absoluteHours: ABSOLUTE_SESSION_HOURS,
      });
    },

    /** The session served a request. */
    async touch(sessionUid: string): Promise<void> {
      await SessionActivity.updateOne({ _id: sessionUid }, { $set: { lastSeenAt: new Date(now()) } });
    },

    /** `state`, counting the request as activity when the session may still be used. */
    async use(sessionUid: string, accountId: string): Promise<SessionState> {
      const state = await this.state(sessionUid, accountId);
      if (state === 'active') await this.touch(sessionUid);
      return state;
    },
  };
}
