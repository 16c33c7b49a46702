// Cookie signing keys: from configuration, or (development only; the config refuses this in
// production) generated once and kept in the store so sessions survive a restart.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/index.js';
import type { Models } from '../store/models/index.js';
import { isDuplicateKey } from '../store/duplicate-key.js';

const SECRET_ID = 'cookie-keys';

export async function resolveCookieKeys(config: Config, models: Models, now: () => number = Date.now): Promise<string[]> {
  if (config.cookieKeys) return [...config.cookieKeys];
  const existing = await models.AppSecret.findById(SECRET_ID).lean();
  if (existing) return existing.values;
  try {
    await models.AppSecret.create({ _id: SECRET_ID, values: [randomBytes(32).toString('base64url')], createdAt: new Date(now()) });
  } catch (err) {
    // Another instance created it first: use theirs.
    if (!isDuplicateKey(err)) throw err;
  }
  const created = await models.AppSecret.findById(SECRET_ID).lean();
  if (!created) throw new Error('cookie keys could not be stored');
  return created.values;
}
