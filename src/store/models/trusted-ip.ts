// A trusted IP address or CIDR range: practice-wide (userId absent, e.g. the office) or for one user
// (e.g. a clinician's home). A sign-in from it counts as a known network and, when the practice
// allows, skips the code. `entry` is canonical (src/net/ip.ts), so duplicates are caught by the index.
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface TrustedIp {
  _id: Types.ObjectId;
  practiceId: Types.ObjectId;
  /** Absent for a practice-wide entry. */
  userId?: Types.ObjectId;
  entry: string;
  description: string;
  /** Not honoured after this instant (e.g. a locum's temporary address). */
  expiresAt?: Date;
  /** Who added it: an admin's sub, or `cli` for an operator command (absent on older entries). */
  addedBy?: string;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<TrustedIp>({
  practiceId: { type: Schema.Types.ObjectId, ref: 'Practice', required: true },
  userId: { type: Schema.Types.ObjectId, ref: 'User' },
  entry: { type: String, required: true, maxlength: 64 },
  description: { type: String, default: '', trim: true, maxlength: 200 },
  expiresAt: { type: Date },
  addedBy: { type: String, maxlength: 200 },
}, { timestamps: true, collection: 'trusted_ips' });

// userId is null for practice-wide entries, so one index covers both scopes.
schema.index({ practiceId: 1, userId: 1, entry: 1 }, { unique: true });

export type TrustedIpModel = Model<TrustedIp>;

export function trustedIpModel(connection: Connection): TrustedIpModel {
  return (connection.models.TrustedIp as TrustedIpModel | undefined) ?? connection.model<TrustedIp>('TrustedIp', schema);
}
