// A practice is a tenant: its users sign in here; its MFA policy is read by the risk engine.
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const MFA_POLICIES = ['off', 'risk', 'always'] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

export interface Practice {
  _id: Types.ObjectId;
  name: string;
  mfaPolicy: MfaPolicy;
  /** Does a sign-in from a trusted IP skip the code? (Never when the app asks for MFA.) */
  trustedIpsBypass: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<Practice>({
  name: { type: String, required: true, trim: true, maxlength: 200 },
  mfaPolicy: { type: String, enum: MFA_POLICIES, default: 'risk', required: true },
  trustedIpsBypass: { type: Boolean, default: true },
}, { timestamps: true, collection: 'practices' });

export type PracticeModel = Model<Practice>;

export function practiceModel(connection: Connection): PracticeModel {
  return (connection.models.Practice as PracticeModel | undefined) ?? connection.model<Practice>('Practice', schema);
}
