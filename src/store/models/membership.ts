// A person's place in one practice: role, status and the per-practice two-step choice. The person
// (email, password, factors, devices, lockout) is the `users` document; a membership joins it to a
// practice. One per (user, practice): an identity that works for three practices has three.
// `invited` is a membership waiting for its person to accept (src/accounts/memberships.ts); it
// grants nothing until it is `active`.
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { USER_ROLES, type User, type UserRole } from './user.js';

/** The person alone: the user document's identity fields. */
export type Identity = User;

export const MEMBERSHIP_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export interface Membership {
  _id: Types.ObjectId;
  /** The identity: `users._id`. */
  userId: Types.ObjectId;
  practiceId: Types.ObjectId;
  role: UserRole;
  status: MembershipStatus;
  /** Two-step sign-in turned on for this person in this practice (where the practice leaves the choice). */
  mfaEnabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<Membership>({
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, immutable: true },
  practiceId: { type: Schema.Types.ObjectId, ref: 'Practice', required: true, immutable: true, index: true },
  role: { type: String, enum: USER_ROLES, required: true },
  status: { type: String, enum: MEMBERSHIP_STATUSES, required: true, default: 'active' },
  mfaEnabled: { type: Boolean, default: false },
}, { timestamps: true, collection: 'memberships' });

schema.index({ userId: 1, practiceId: 1 }, { unique: true });
// Every sign-in reads a person's memberships by `userId` alone (or with `status`). MongoDB would use
// the unique index's prefix; the embedded store answers an equality only from an index on exactly
// the fields given, and without this one scanned every membership per sign-in (bench/scale.ts: 172 s
// of CPU for 20,000 sign-in reads at 100k users, against 32 s before memberships).
schema.index({ userId: 1 });

export type MembershipModel = Model<Membership>;

export function membershipModel(connection: Connection): MembershipModel {
  return (connection.models.Membership as MembershipModel | undefined) ?? connection.model<Membership>('Membership', schema);
}

/** What a membership adds to the identity in the join (`Member`). */
export interface MembershipFields {
  practiceId: Types.ObjectId;
  role: UserRole;
  /** `status === 'active'`: the membership lets the person in. */
  active: boolean;
  /** Two-step on in THIS practice. */
  mfaEnabled: boolean;
  membershipId: Types.ObjectId;
  membershipStatus: MembershipStatus;
}

/**
 * An identity as a member of one practice: what most code means by "a user of a practice". Built by
 * joinMember (src/accounts/memberships.ts) from the two documents.
 */
export type Member = Identity & MembershipFields;
