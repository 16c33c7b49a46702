/**
 * Token signing keys for test servers' fresh stores. A provider on an empty store generates an
 * RS256 and an ES256 key on its first start (src/oidc/keys.ts); the RSA key is about 0.2 s of CPU,
 * two thirds of a test server's start. The first server a test process starts on a store of its own
 * still generates them that way; the process keeps their key material, and later servers on fresh
 * stores of their own start with a copy already in their store, made current at their clock's time:
 * what the provider would find on its second start. Each store gets its own documents (a rotation
 * or a deletion in one test changes nothing elsewhere). Generation on first start stays covered by
 * that first server, by every test that hands startServer a store it made itself (continuity,
 * restart, two instances…: they never get a copy) and by the tests that run src/main.ts.
 */
import type { Models } from '../../src/store/models/index.js';
import type { SigningKey } from '../../src/store/models/signing-key.js';

type KeyMaterial = Pick<SigningKey, '_id' | 'alg' | 'privateJwk'>;

let generated: readonly KeyMaterial[] | undefined;

/** Puts a copy of this process's keys into an empty store, current from `at`; false when there are none yet (the provider then generates its own). */
export async function seedSigningKeys(models: Models, at: number): Promise<boolean> {
  if (!generated) return false;
  const since = new Date(at);
  await models.SigningKey.insertMany(generated.map((key) => ({ ...structuredClone(key), createdAt: since, activateAt: since })));
  return true;
}

/** Keeps the keys a provider generated on its first start, for the next fresh stores of this process. */
export async function keepGeneratedSigningKeys(models: Models): Promise<void> {
  if (generated) return;
  const keys = await models.SigningKey.find({}, { _id: 1, alg: 1, privateJwk: 1 }).lean();
  if (keys.length > 0) generated = Object.freeze(keys.map((key) => structuredClone({ _id: key._id, alg: key.alg, privateJwk: key.privateJwk })));
}
