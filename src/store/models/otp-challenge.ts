// The one-time code of one sign-in interaction: its keyed hash (never the code), where it went, the
// counters the rules need and the send history for the resend throttle. `_id` is the interaction
// uid, so a code is bound to its interaction; every change is a compare-and-swap on `version`, so
// two instances (or two tabs) never lose an attempt.
import { Schema, type Connection, type Model } from 'mongoose';
import { MFA_CHANNELS, type MfaChannel } from './user.js';

export interface OtpChallenge {
  /** The interaction uid. */
  _id: string;
  /** The user's sub: a challenge is also bound to one account. */
  accountId: string;
  channel: MfaChannel;
  /** Masked, for the page (`••• ••• 4821`). */
  destination: string;
  hash: string;
  issuedAt: Date;
  /** First instant the code is refused. */
  codeExpiresAt: Date;
  attempts: number;
  usedAt?: Date;
  burnedAt?: Date;
  /** Every send (first and resends), for the throttle. */
  sends: Date[];
  /** The last send failed; the page offers the other channel. */
  deliveryFailed?: MfaChannel;
  version: number;
  /** Removal by TTL, well after the interaction itself expired. */
  expiresAt: Date;
}

const schema = new Schema<OtpChallenge>({
  _id: { type: String, required: true },
  accountId: { type: String, required: true },
  channel: { type: String, enum: MFA_CHANNELS, required: true },
  destination: { type: String, required: true },
  hash: { type: String, required: true },
  issuedAt: { type: Date, required: true },
  codeExpiresAt: { type: Date, required: true },
  attempts: { type: Number, default: 0 },
  usedAt: { type: Date },
  burnedAt: { type: Date },
  sends: { type: [Date], default: [] },
  deliveryFailed: { type: String, enum: MFA_CHANNELS },
  version: { type: Number, default: 0 },
  expiresAt: { type: Date, required: true },
}, { collection: 'otp_challenges', versionKey: false });

schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type OtpChallengeModel = Model<OtpChallenge>;

export function otpChallengeModel(connection: Connection): OtpChallengeModel {
  return (connection.models.OtpChallenge as OtpChallengeModel | undefined) ?? connection.model<OtpChallenge>('OtpChallenge', schema);
}
