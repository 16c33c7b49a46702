// Single-use tokens that let a person set a password from an emailed link (an invitation to a new
// account). Only the SHA-256 of the token is stored, as `_id`: a leaked store holds no usable link.
// Taking a token deletes it, so it works once; the TTL index removes the unused ones.
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const PASSWORD_TOKEN_PURPOSES = ['invitation'] as const;
export type PasswordTokenPurpose = (typeof PASSWORD_TOKEN_PURPOSES)[number];

export interface PasswordToken {
  /** base64url SHA-256 of the token. */
  _id: string;
  purpose: PasswordTokenPurpose;
  /** The user's sub. */
  userSub: string;
  /** The practice whose invitation this link answers: setting the password activates that membership. */
  practiceId?: Types.ObjectId;
  createdAt: Date;
  /** First instant the token is refused; removal by TTL. */
  expiresAt: Date;
}

const schema = new Schema<PasswordToken>({
  _id: { type: String, required: true },
  purpose: { type: String, enum: PASSWORD_TOKEN_PURPOSES, required: true },
  userSub: { type: String, required: true, index: true },
  practiceId: { type: Schema.Types.ObjectId },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
}, { collection: 'password_tokens', versionKey: false });

schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type PasswordTokenModel = Model<PasswordToken>;

export function passwordTokenModel(connection: Connection): PasswordTokenModel {
  return (connection.models.PasswordToken as PasswordTokenModel | undefined) ?? connection.model<PasswordToken>('PasswordToken', schema);
}
