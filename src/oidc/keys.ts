// Token signing keys. Production: the private JWKS from configuration (the first key of each alg
// signs; keep an old key listed after the new one until its tokens expire). Otherwise: RS256 and
// ES256 keys generated on first start and kept in the store, rotated by `rotateSigningKeys`.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Config } from '../config/index.js';
import type { Models } from '../store/models/index.js';
import type { SigningKey } from '../store/models/signing-key.js';

export const SIGNING_ALGS = ['RS256', 'ES256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export interface PrivateJwks {
  keys: JWK[];
}

export interface KeyDeps {
  models: Models;
  now?: () => number;
}

async function generateSigningKey(alg: SigningAlg, now: number): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { _id: kid, alg, privateJwk: { ...jwk, kid, alg, use: 'sig' }, status: 'active', createdAt: new Date(now) };
}

/** Makes sure the store holds an active key per algorithm (first development start). */
export async function ensureSigningKeys({ models, now = Date.now }: KeyDeps): Promise<void> {
  for (const alg of SIGNING_ALGS) {
    if (await models.SigningKey.exists({ alg, status: 'active' })) continue;
    await models.SigningKey.create(await generateSigningKey(alg, now()));
  }
}

/**
 * New keys sign from now on; the previous ones stay published (retiring) for `retireAfterSeconds`
 * (the longest lifetime of anything they signed), then `pruneRetiredKeys` drops them.
 */
export async function rotateSigningKeys(
  { models, now = Date.now }: KeyDeps,
  retireAfterSeconds: number,
): Promise<{ activated: string[]; retiring: string[] }> {
  const at = now();
  const previous = await models.SigningKey.find({ status: 'active' }).lean();
  const fresh = await Promise.all(SIGNING_ALGS.map((alg) => generateSigningKey(alg, at)));
  await models.SigningKey.insertMany(fresh);
  await models.SigningKey.updateMany(
    { _id: { $in: previous.map((key) => key._id) } },
    { $set: { status: 'retiring', retireAt: new Date(at + retireAfterSeconds * 1000) } },
  );
  return { activated: fresh.map((key) => key._id), retiring: previous.map((key) => key._id) };
}

/** Removes retiring keys whose last token has expired. */
export async function pruneRetiredKeys({ models, now = Date.now }: KeyDeps): Promise<number> {
  const { deletedCount } = await models.SigningKey.deleteMany({ status: 'retiring', retireAt: { $lte: new Date(now()) } });
  return deletedCount;
}

/**
 * The private JWKS handed to the provider: active keys first (newest first) so they sign, then
 * retiring keys, published only so earlier tokens still verify.
 */
export async function loadSigningJwks(config: Config, { models, now = Date.now }: KeyDeps): Promise<PrivateJwks> {
  if (config.signingKeys) {
    return {
      keys: await Promise.all(config.signingKeys.keys.map(async (key) => {
        const jwk = { ...key } as JWK;
        return { ...jwk, kid: jwk.kid ?? (await calculateJwkThumbprint(jwk)), alg: jwk.alg ?? (jwk.kty === 'RSA' ? 'RS256' : 'ES256'), use: 'sig' };
      })),
    };
  }
  await ensureSigningKeys({ models, now });
  const keys = await models.SigningKey.find({
    $or: [{ status: 'active' }, { status: 'retiring', retireAt: { $gt: new Date(now()) } }],
  }).lean();
  keys.sort((a, b) => rank(a) - rank(b) || b.createdAt.getTime() - a.createdAt.getTime());
  return { keys: keys.map((key) => key.privateJwk as JWK) };
}

const rank = (key: { status: string }) => (key.status === 'active' ? 0 : 1);

/** A fingerprint of the key set, so a running server notices a rotation made by the CLI. */
export function jwksFingerprint(jwks: PrivateJwks): string {
  return jwks.keys.map((key) => key.kid).join(',');
}
