// Token signing keys managed in the store (development, or when no SIGNING_KEYS are configured).
// States (next / current / retiring) follow from activateAt and retireAt: see src/oidc/keys.ts.
import { Schema, type Connection, type Model } from 'mongoose';

/** Written by earlier versions; the schedule (activateAt, retireAt) decides now. */
export const SIGNING_KEY_STATUSES = ['active', 'retiring'] as const;
export type SigningKeyStatus = (typeof SIGNING_KEY_STATUSES)[number];

export interface SigningKey {
  /** The kid. */
  _id: string;
  alg: 'RS256' | 'ES256';
  /** Private JWK including kid, alg and use. */
  privateJwk: Record<string, unknown>;
  status?: SigningKeyStatus;
  createdAt: Date;
  /** From when it signs (absent on keys of earlier versions: createdAt). */
  activateAt?: Date;
  /** From when it is no longer published. */
  retireAt?: Date;
}

const schema = new Schema<SigningKey>({
  _id: { type: String, required: true },
  alg: { type: String, enum: ['RS256', 'ES256'], required: true },
  privateJwk: { type: Schema.Types.Mixed, required: true },
  status: { type: String, enum: SIGNING_KEY_STATUSES },
  createdAt: { type: Date, required: true },
  activateAt: { type: Date },
  retireAt: { type: Date },
}, { collection: 'signing_keys', versionKey: false });

export type SigningKeyModel = Model<SigningKey>;

export function signingKeyModel(connection: Connection): SigningKeyModel {
  return (connection.models.SigningKey as SigningKeyModel | undefined) ?? connection.model<SigningKey>('SigningKey', schema);
}
