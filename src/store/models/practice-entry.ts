// Which practice an authorization entered: one record per grant (oidc-provider's Grant payload holds
// no custom fields, so this lives beside it, keyed by the grant id). Written once when the grant is
// first used for a practice and never changed: a module that switches practice gets a new grant
// (src/oidc/practice-grant.ts), so a refresh token always answers for the practice it was issued in.
// `sessionUid` says which browser session entered the practice: deactivating a membership ends
// exactly the sessions (and grants) entered through that practice (src/accounts/memberships.ts).
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface PracticeEntry {
  /** The oidc-provider grant id (jti). */
  _id: string;
  /** The user's sub. */
  accountId: string;
  practiceId: Types.ObjectId;
  clientId: string;
  /** The provider session's uid the authorization ran in. */
  sessionUid?: string;
  createdAt: Date;
  /** As long as the grant may live (Grant TTL); the TTL index sweeps it with the grant. */
  expiresAt: Date;
}

const schema = new Schema<PracticeEntry>({
  _id: { type: String, required: true },
  accountId: { type: String, required: true },
  practiceId: { type: Schema.Types.ObjectId, ref: 'Practice', required: true },
  clientId: { type: String, required: true },
  sessionUid: { type: String },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
}, { collection: 'practice_entries', versionKey: false });

schema.index({ accountId: 1, practiceId: 1 });
schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type PracticeEntryModel = Model<PracticeEntry>;

export function practiceEntryModel(connection: Connection): PracticeEntryModel {
  return (connection.models.PracticeEntry as PracticeEntryModel | undefined) ?? connection.model<PracticeEntry>('PracticeEntry', schema);
}
