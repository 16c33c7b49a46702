// A change an admin asked for that does not apply at once (src/accounts/account-change/): a new
// email address or mobile number waits for the new address to prove itself, and a change to
// another admin waits for a second admin. The old values stay in force until it applies.
//
// Secrets are stored only as SHA-256 (`confirmHash`: the link emailed to the new address;
// `reportHash`: the link in the notice to the old address). A texted code for a new number lives
// in the one-time-code collection (src/account/phone-verification.ts), bound to the number.
// `expiresAt` is checked in code on every use; the TTL index (`removeAt`, later) only tidies up.
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const ACCOUNT_CHANGE_KINDS = ['email', 'phone', 'role'] as const;
export type AccountChangeKind = (typeof ACCOUNT_CHANGE_KINDS)[number];

export interface AccountChangeActor {
  sub: string;
  role: string;
}

export interface AccountChange {
  /** 24 hex characters; not a secret (admin URLs name it), always looked up with the practice. */
  _id: string;
  practiceId: Types.ObjectId;
  userSub: string;
  kind: AccountChangeKind;
  /** The value when the change was asked for, and the value asked for. */
  before: string | null;
  after: string;
  requestedBy: AccountChangeActor;
  requestedAt: Date;
  /** The new address must prove itself (email link, texted code) before the change applies. */
  proofNeeded: boolean;
  provenAt?: Date;
  /** Another admin (never the requester) must approve: the user is an admin other than the requester. */
  approvalNeeded: boolean;
  approvedBy?: AccountChangeActor;
  approvedAt?: Date;
  confirmHash?: string;
  reportHash?: string;
  /** First instant the change can no longer be proven, approved or applied. */
  expiresAt: Date;
  /** Removal by TTL, after expiresAt. */
  removeAt: Date;
}

const actor = { sub: { type: String, required: true }, role: { type: String, required: true } };

const schema = new Schema<AccountChange>({
  _id: { type: String, required: true },
  practiceId: { type: Schema.Types.ObjectId, required: true, index: true },
  userSub: { type: String, required: true, index: true },
  kind: { type: String, enum: ACCOUNT_CHANGE_KINDS, required: true },
  before: { type: String, default: null },
  after: { type: String, required: true },
  requestedBy: { type: actor, required: true, _id: false },
  requestedAt: { type: Date, required: true },
  proofNeeded: { type: Boolean, required: true },
  provenAt: { type: Date },
  approvalNeeded: { type: Boolean, required: true },
  approvedBy: { type: actor, _id: false },
  approvedAt: { type: Date },
  confirmHash: { type: String, index: { unique: true, sparse: true } },
  reportHash: { type: String, index: { unique: true, sparse: true } },
  expiresAt: { type: Date, required: true },
  removeAt: { type: Date, required: true },
}, { collection: 'account_changes', versionKey: false });

schema.index({ removeAt: 1 }, { expireAfterSeconds: 0 });

export type AccountChangeModel = Model<AccountChange>;

export function accountChangeModel(connection: Connection): AccountChangeModel {
  return (connection.models.AccountChange as AccountChangeModel | undefined) ?? connection.model<AccountChange>('AccountChange', schema);
}
