// The key authenticator-app secrets are sealed with: FACTOR_SECRET_KEY, or (development only; the
// config refuses its absence in production) generated once and kept in the store, so every instance
// and restart agrees. The 32 AES bytes are derived from the configured text with HKDF, so any
// ≥ 32-character secret serves.
import { hkdfSync, randomBytes } from 'node:crypto';
import type { Models } from '../../store/models/index.js';
import { isDuplicateKey } from '../../store/duplicate-key.js';

const SECRET_ID = 'factor-secret-key';

export async function resolveFactorKey(configured: string | undefined, models: Pick<Models, 'AppSecret'>, now: () => number): Promise<Buffer> {
  const text = configured ?? await storedDevelopmentKey(models, now);
  return Buffer.from(hkdfSync('sha256', Buffer.from(text, 'utf8'), Buffer.alloc(0), 'ehr-idp factor secrets v1', 32));
}

async function storedDevelopmentKey(models: Pick<Models, 'AppSecret'>, now: () => number): Promise<string> {
  const existing = await models.AppSecret.findById(SECRET_ID).lean();
  if (existing?.values[0]) return existing.values[0];
  try {
    await models.AppSecret.create({ _id: SECRET_ID, values: [randomBytes(32).toString('base64url')], createdAt: new Date(now()) });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // another instance made it first
  }
  const created = await models.AppSecret.findById(SECRET_ID).lean();
  if (!created?.values[0]) throw new Error('the factor secret key could not be stored');
  return created.values[0];
}
