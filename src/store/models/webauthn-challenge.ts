// A WebAuthn challenge we handed out: single-use (deleted by the one verification that reads it,
// whatever its outcome), bound to what asked for it (the interaction, or the /account session), and
// expiring at `expiresAt`, which our code checks (a TTL index only sweeps; it never decides).
import { Schema, type Connection, type Model } from 'mongoose';

export interface WebauthnChallenge {
  /** The challenge itself, base64url. */
  _id: string;
  purpose: 'register' | 'authenticate';
  /** `interaction:<uid>` or `session:<uid>`. */
  boundTo: string;
  /** The user it was made for; absent for a passwordless sign-in (nobody is known yet). */
  userSub?: string;
  expiresAt: Date;
}

const schema = new Schema<WebauthnChallenge>({
  _id: { type: String, required: true },
  purpose: { type: String, enum: ['register', 'authenticate'], required: true },
  boundTo: { type: String, required: true },
  userSub: { type: String },
  expiresAt: { type: Date, required: true },
}, { collection: 'webauthn_challenges', versionKey: false });

schema.index({ expiresAt: 1 }, { expireAfterSeconds: 3600 });

export type WebauthnChallengeModel = Model<WebauthnChallenge>;

export function webauthnChallengeModel(connection: Connection): WebauthnChallengeModel {
  return (connection.models.WebauthnChallenge as WebauthnChallengeModel | undefined) ?? connection.model<WebauthnChallenge>('WebauthnChallenge', schema);
}
