// Every piece of oidc-provider state (sessions, interactions, grants, codes, tokens...) in one
// collection, keyed by `<kind>:<id>`. The payload is kept as a JSON string: its keys are the
// provider's business (claim names may hold dots or `$`) and we only ever query the lifted fields.
import { Schema, type Connection, type Model } from 'mongoose';

export interface OidcRecord {
  _id: string;
  kind: string;
  payload: string;
  grantId?: string;
  uid?: string;
  userCode?: string;
  accountId?: string;
  /** The browser session a code or token came from (a code exchange reads it with the code). */
  sessionUid?: string;
  /** The app a code or interaction belongs to, and who an interaction signed in (read-ahead keys). */
  clientId?: string;
  signedInAs?: string;
  expiresAt?: Date;
  consumed?: Date;
}

const schema = new Schema<OidcRecord>({
  _id: { type: String, required: true },
  kind: { type: String, required: true },
  payload: { type: String, required: true },
  grantId: { type: String },
  uid: { type: String },
  userCode: { type: String },
  accountId: { type: String },
  sessionUid: { type: String },
  clientId: { type: String },
  signedInAs: { type: String },
  expiresAt: { type: Date },
  consumed: { type: Date },
}, { collection: 'oidc_records', versionKey: false });

schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
schema.index({ grantId: 1 }, { sparse: true });
schema.index({ kind: 1, uid: 1 }, { sparse: true });
schema.index({ kind: 1, userCode: 1 }, { sparse: true });
schema.index({ kind: 1, accountId: 1 }, { sparse: true });

export type OidcRecordModel = Model<OidcRecord>;

export function oidcRecordModel(connection: Connection): OidcRecordModel {
  return (connection.models.OidcRecord as OidcRecordModel | undefined) ?? connection.model<OidcRecord>('OidcRecord', schema);
}
