// An invitation to join a practice: one per (practice, identity) while the membership waits in
// status 'invited'. It remembers what the admin typed (name, email, role), which is all an admin
// ever sees of an invited person, whether or not the identity already existed (no oracle).
// `tokenHash` is the SHA-256 of the link's token (32 CSPRNG bytes): a leaked store holds no usable
// link. The link works once, only for `userId` signed in, and only before `expiresAt` (checked in
// code: the TTL index removes records eventually, never on time; src/store/models/expiry.ts).
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { USER_ROLES, type UserRole } from './user.js';

export interface PracticeInvitation {
  _id: Types.ObjectId;
  practiceId: Types.ObjectId;
  /** The invited identity (`users._id`). */
  userId: Types.ObjectId;
  /** base64url SHA-256 of the link's token. */
  tokenHash: string;
  /** As the admin typed them. */
  name: string;
  email: string;
  role: UserRole;
  /** Who sent it: an admin's sub, or 'cli'. */
  invitedBy: string;
  createdAt: Date;
  /** First instant the link is refused. */
  expiresAt: Date;
}

const schema = new Schema<PracticeInvitation>({
  practiceId: { type: Schema.Types.ObjectId, required: true },
  userId: { type: Schema.Types.ObjectId, required: true, index: true },
  tokenHash: { type: String, required: true, unique: true },
  name: { type: String, required: true, maxlength: 200 },
  email: { type: String, required: true, maxlength: 254 },
  role: { type: String, enum: USER_ROLES, required: true },
  invitedBy: { type: String, required: true },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
}, { collection: 'practice_invitations', versionKey: false });

// One invitation per person and practice: a resend replaces it (the old link stops working).
schema.index({ practiceId: 1, userId: 1 }, { unique: true });
// Long after expiry, so an admin still sees "invitation expired" for a while (code checks expiry).
schema.index({ expiresAt: 1 }, { expireAfterSeconds: 30 * 24 * 3600 });

export type PracticeInvitationModel = Model<PracticeInvitation>;

export function practiceInvitationModel(connection: Connection): PracticeInvitationModel {
  return (connection.models.PracticeInvitation as PracticeInvitationModel | undefined) ?? connection.model<PracticeInvitation>('PracticeInvitation', schema);
}
