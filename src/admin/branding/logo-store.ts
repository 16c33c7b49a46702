// The practice's logo in the store: the image (practice_logos, one per practice) and its digest on
// the practice, which the pages read to build the logo's URL. The image is written first, so a
// practice never names a digest whose image is missing.
import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Models } from '../../store/models/index.js';
import { checkLogo, type LogoType } from './image.js';

export interface LogoFacts {
  type: string;
  bytes: number;
  digest: string;
}

export async function currentLogo(models: Models, practiceId: Types.ObjectId): Promise<LogoFacts | null> {
  const logo = await models.PracticeLogo.findById(practiceId, { type: 1, base64: 1, digest: 1 }).lean();
  return logo ? { type: logo.type, bytes: Buffer.from(logo.base64, 'base64').length, digest: logo.digest } : null;
}

export async function saveLogo(models: Models, practiceId: Types.ObjectId, bytes: Buffer, type: LogoType, now: Date): Promise<LogoFacts> {
  const digest = createHash('sha256').update(bytes).digest('base64url');
  await models.PracticeLogo.updateOne({ _id: practiceId }, { $set: { type, base64: bytes.toString('base64'), digest, updatedAt: now } }, { upsert: true });
  await models.Practice.updateOne({ _id: practiceId }, { $set: { logoDigest: digest } });
  return { type, bytes: bytes.length, digest };
}

export async function removeLogo(models: Models, practiceId: Types.ObjectId): Promise<void> {
  await models.Practice.updateOne({ _id: practiceId }, { $unset: { logoDigest: 1 } });
  await models.PracticeLogo.deleteOne({ _id: practiceId });
}

/** The store and check the logo command (src/commands/practice-logo.ts) is given, on either surface. */
export function practiceLogos(models: Models, now: () => number) {
  return {
    check: checkLogo,
    current: (practiceId: Types.ObjectId) => currentLogo(models, practiceId),
    save: (practiceId: Types.ObjectId, bytes: Buffer, type: string) => saveLogo(models, practiceId, bytes, type as LogoType, new Date(now())),
    remove: (practiceId: Types.ObjectId) => removeLogo(models, practiceId),
  };
}
