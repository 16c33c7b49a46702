// Whether a browser session may still be used (ONC §170.315(d)(5)): it ends after `idleMinutes`
// without activity, and in any case `absoluteHours` after its sign-in. Pure: the caller passes the
// clock. Expired wins over idle, so the audit trail names the stronger reason. A time at or past the
// limit counts as over it; a clock that went backwards (another instance's skew) counts as activity.
export type SessionState = 'active' | 'idle' | 'expired';

export interface SessionTimes {
  /** When the session's last full sign-in happened (ms). */
  signedInAt: number;
  /** The last request served from it (ms). */
  lastSeenAt: number;
  now: number;
  idleMinutes: number;
  absoluteHours: number;
}

export function sessionState({ signedInAt, lastSeenAt, now, idleMinutes, absoluteHours }: SessionTimes): SessionState {
  if (![signedInAt, lastSeenAt, now].every(Number.isFinite)) return 'expired';
  if (now - signedInAt >= absoluteHours * 3_600_000) return 'expired';
  if (now - Math.max(lastSeenAt, signedInAt) >= idleMinutes * 60_000) return 'idle';
  return 'active';
}
