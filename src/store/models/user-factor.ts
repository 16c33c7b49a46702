// A second factor a user enrolled beyond their email and phone: an authenticator app (TOTP) or a
// set of recovery codes. One document per factor; the secrets inside are never stored in the clear
// (the TOTP secret is encrypted with the factor key, recovery codes are kept as keyed hashes).
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const ENROLLED_FACTOR_KINDS = ['totp', 'recovery', 'webauthn'] as const;
export type EnrolledFactorKind = (typeof ENROLLED_FACTOR_KINDS)[number];

export interface UserFactor {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  kind: EnrolledFactorKind;
  /** The user's name for it ("Work phone"). */
  name: string;
  createdAt: Date;
  /** Absent while an authenticator app waits for its first code (enrolment not finished). */
  confirmedAt?: Date;
  lastUsedAt?: Date;
  /** TOTP: the AES-256-GCM sealed base32 secret, and the last time step accepted (replay guard). */
  secret?: string;
  lastStep?: number;
  /** Recovery codes: keyed hashes of the codes not used yet. */
  codes?: string[];
  /** WebAuthn: the credential (id and COSE public key, base64url), its signature counter and transports. */
  credentialId?: string;
  publicKey?: string;
  counter?: number;
  transports?: string[];
  /** `multiDevice` (a synced passkey: amr `swk`) or `singleDevice` (bound to one authenticator: `hwk`). */
  deviceType?: 'singleDevice' | 'multiDevice';
  /** Registered as a discoverable credential (a passkey: usable without typing the email). */
  discoverable?: boolean;
  /** Unconfirmed enrolments are swept after this (checked by our code, not a TTL). */
  pendingUntil?: Date;
}

const schema = new Schema<UserFactor>({
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
  kind: { type: String, enum: ENROLLED_FACTOR_KINDS, required: true },
  name: { type: String, required: true, maxlength: 64 },
  createdAt: { type: Date, required: true },
  confirmedAt: { type: Date },
  lastUsedAt: { type: Date },
  secret: { type: String },
  lastStep: { type: Number },
  codes: { type: [String], default: undefined },
  pendingUntil: { type: Date },
  credentialId: { type: String },
  publicKey: { type: String },
  counter: { type: Number },
  transports: { type: [String], default: undefined },
  deviceType: { type: String, enum: ['singleDevice', 'multiDevice'] },
  discoverable: { type: Boolean },
}, { collection: 'user_factors', versionKey: false });

schema.index({ credentialId: 1 }, { unique: true, sparse: true });

export type UserFactorModel = Model<UserFactor>;

export function userFactorModel(connection: Connection): UserFactorModel {
  return (connection.models.UserFactor as UserFactorModel | undefined) ?? connection.model<UserFactor>('UserFactor', schema);
}
