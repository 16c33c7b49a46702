// When a provider browser session last signed in and was last used: the idle time-out and the
// absolute lifetime are judged from these (src/sessions/). oidc-provider's Session payload holds no
// custom fields, so this lives beside it, keyed by the session's uid (stable across id rotations).
// The TTL index drops a record once its session could no longer be used anyway.
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface SessionActivity {
  /** The provider session's uid. */
  _id: string;
  /** The user's sub. */
  accountId: string;
  practiceId: Types.ObjectId;
  /** The last full sign-in (password) in this session. */
  signedInAt: Date;
  /** The last request served from this session (an authorization request or a console page). */
  lastSeenAt: Date;
  /**
   * The last request served per practice entered (hex practice id → time): a practice's idle
   * time-out counts only use under a rule at least as strict as its own (src/sessions/activity.ts).
   * Absent on records from before it: `lastSeenAt` then stands for the session's practice.
   */
  lastSeenIn?: Record<string, Date>;
  /** signedInAt + the absolute lifetime. */
  expiresAt: Date;
}

const schema = new Schema<SessionActivity>({
  _id: { type: String, required: true },
  accountId: { type: String, required: true, index: true },
  practiceId: { type: Schema.Types.ObjectId, ref: 'Practice', required: true },
  signedInAt: { type: Date, required: true },
  lastSeenAt: { type: Date, required: true },
  lastSeenIn: { type: Schema.Types.Mixed, required: false },
  expiresAt: { type: Date, required: true },
}, { collection: 'session_activity', versionKey: false });

schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type SessionActivityModel = Model<SessionActivity>;

export function sessionActivityModel(connection: Connection): SessionActivityModel {
  return (connection.models.SessionActivity as SessionActivityModel | undefined) ?? connection.model<SessionActivity>('SessionActivity', schema);
}
