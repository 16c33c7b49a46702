// A practice's logo (optional, set by its admin on Practice security): one document per practice,
// the image bytes as base64 (a few dozen KB at most), its type as read from its first bytes, and
// the digest that names this version in the URL. Apart from the practice, so the sign-in path,
// which reads the practice, never carries the image.
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface PracticeLogo {
  /** The practice's _id. */
  _id: Types.ObjectId;
  type: 'image/png' | 'image/jpeg' | 'image/webp';
  base64: string;
  /** base64url SHA-256 of the bytes: the version in the URL (a new logo is a new URL). */
  digest: string;
  updatedAt: Date;
}

const schema = new Schema<PracticeLogo>({
  _id: { type: Schema.Types.ObjectId, required: true },
  type: { type: String, enum: ['image/png', 'image/jpeg', 'image/webp'], required: true },
  base64: { type: String, required: true },
  digest: { type: String, required: true },
  updatedAt: { type: Date, required: true },
}, { collection: 'practice_logos', versionKey: false });

export type PracticeLogoModel = Model<PracticeLogo>;

export function practiceLogoModel(connection: Connection): PracticeLogoModel {
  return connection.models.PracticeLogo as PracticeLogoModel | undefined ?? connection.model<PracticeLogo>('PracticeLogo', schema);
}

/** The URL of a practice's logo, or undefined when it has none (the digest makes each version its own URL). */
export function logoUrl(practice: { _id: unknown; logoDigest?: string | null }): string | undefined {
  return practice.logoDigest ? `/practice-logo/${String(practice._id)}/${practice.logoDigest}` : undefined;
}
