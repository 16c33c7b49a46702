// A browser that completed a two-step sign-in for a user. The browser holds a random id in a signed
// HttpOnly cookie (src/http/device-cookie.ts); only its SHA-256 is stored, so a copy of this
// collection cannot be replayed as cookies. `practiceIds`: the practices a second factor was given
// on it for (src/mfa/known-devices.ts): it is known to THOSE practices' risk rules and shown to
// THOSE practices' admins only.
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface KnownDevice {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  deviceHash: string;
  /** e.g. "Firefox on Windows", from the user agent. */
  label: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  lastIp?: string;
  /** The practices entered with a second factor on this browser (absent only before the start-up migration). */
  practiceIds?: Types.ObjectId[];
}

const schema = new Schema<KnownDevice>({
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  deviceHash: { type: String, required: true },
  label: { type: String, default: 'Unknown browser', maxlength: 100 },
  firstSeenAt: { type: Date, required: true },
  lastSeenAt: { type: Date, required: true },
  lastIp: { type: String, maxlength: 64 },
  // No default: an upsert's $addToSet writes it (a default would clash with it on insert).
  practiceIds: { type: [Schema.Types.ObjectId], default: undefined },
}, { collection: 'known_devices', versionKey: false });

schema.index({ userId: 1, deviceHash: 1 }, { unique: true });

export type KnownDeviceModel = Model<KnownDevice>;

export function knownDeviceModel(connection: Connection): KnownDeviceModel {
  return (connection.models.KnownDevice as KnownDeviceModel | undefined) ?? connection.model<KnownDevice>('KnownDevice', schema);
}
