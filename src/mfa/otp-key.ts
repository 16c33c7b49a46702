// The key one-time codes are hashed with: OTP_HMAC_KEY, or (development only; the config refuses
// this in production) generated once and kept in the store, so every instance and restart agrees.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/index.js';
import type { Models } from '../store/models/index.js';
import { isDuplicateKey } from '../store/duplicate-key.js';

const SECRET_ID = 'otp-hmac-key';

export async function resolveOtpKey(config: Config, models: Models, now: () => number = Date.now): Promise<Buffer> {
  if (config.mfa.otpHmacKey) return Buffer.from(config.mfa.otpHmacKey, 'utf8');
  const existing = await models.AppSecret.findById(SECRET_ID).lean();
  if (existing?.values[0]) return Buffer.from(existing.values[0], 'base64url');
  try {
    await models.AppSecret.create({ _id: SECRET_ID, values: [randomBytes(32).toString('base64url')], createdAt: new Date(now()) });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // another instance made it first
  }
  const created = await models.AppSecret.findById(SECRET_ID).lean();
  if (!created?.values[0]) throw new Error('the one-time code key could not be stored');
  return Buffer.from(created.values[0], 'base64url');
}
