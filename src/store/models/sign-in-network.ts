// The networks (/24 IPv4, /64 IPv6) a user completed a sign-in from: the "normal pattern" the risk
// engine compares a new sign-in with. A network counts for 90 days after it was last seen; the TTL
// index then removes it.
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const NETWORK_MEMORY_DAYS = 90;

export interface SignInNetwork {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  /** e.g. `203.0.113.0/24` (src/net/ip.ts networkOf). */
  network: string;
  lastIp: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** lastSeenAt + 90 days. */
  expiresAt: Date;
}

const schema = new Schema<SignInNetwork>({
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  network: { type: String, required: true, maxlength: 64 },
  lastIp: { type: String, required: true, maxlength: 64 },
  firstSeenAt: { type: Date, required: true },
  lastSeenAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
}, { collection: 'sign_in_networks', versionKey: false });

schema.index({ userId: 1, network: 1 }, { unique: true });
schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type SignInNetworkModel = Model<SignInNetwork>;

export function signInNetworkModel(connection: Connection): SignInNetworkModel {
  return (connection.models.SignInNetwork as SignInNetworkModel | undefined) ?? connection.model<SignInNetwork>('SignInNetwork', schema);
}
