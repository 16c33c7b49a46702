/**
 * Signing keys for test servers, made once per test process. A provider's first start on an empty
 * store generates a key per algorithm (src/oidc/keys.ts `ensureSigningKeys`); the RSA one costs
 * 100–200 ms of CPU, and the suite starts a few hundred servers, each on a fresh store. A fresh
 * store is given the same keys instead (each store its own copy: a rotation in one test touches
 * only its store). Tests of key generation itself start with `startServer({ freshSigningKeys: true })`.
 */
import { generateSigningKey, SIGNING_ALGS } from '../../src/oidc/keys.js';
import type { Models, SigningKey } from '../../src/store/models/index.js';

let made: Promise<SigningKey[]> | undefined;

/** Gives an empty store this process's test signing keys, signing from `now`. */
export async function seedSigningKeys(models: Models, now: number): Promise<void> {
  if ((await models.SigningKey.countDocuments({})) > 0) return;
  const keys = await (made ??= Promise.all(SIGNING_ALGS.map((alg) => generateSigningKey(alg, now, now))));
  await models.SigningKey.insertMany(keys.map((key) => ({ ...key, createdAt: new Date(now), activateAt: new Date(now) })));
}
