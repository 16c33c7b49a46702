// Token signing keys. Production: the private JWKS from configuration (the first key of each alg
// signs; keep an old key listed after the new one until its tokens expire). Otherwise: RS256 and
// ES256 keys generated on first start and kept in the store, rotated on a schedule:
//
//   next      published in the JWKS, not signing yet: relying parties fetch it with their next
//             JWKS refresh (we send Cache-Control max-age JWKS_MAX_AGE_SECONDS);
//   current   signs; the key of its alg with the latest activateAt that has passed;
//   retiring  published only, until every token it signed has expired (retireAt), then removed.
//
// A rotation publishes the new key at once and lets it sign only after `activateAfterSeconds`
// (default DEFAULT_ACTIVATION_DELAY_SECONDS, more than the JWKS max-age plus the provider's
// key refresh interval), so an app with a warm JWKS cache never meets an unknown kid.
// The states are derived from the times, so every instance agrees without coordination.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Config } from '../config/index.js';
import type { Models } from '../store/models/index.js';
import type { SigningKey } from '../store/models/signing-key.js';

export const SIGNING_ALGS = ['RS256', 'ES256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** How long apps may cache the JWKS (Cache-Control on /jwks); jose's createRemoteJWKSet keeps it 10 minutes too. */
export const JWKS_MAX_AGE_SECONDS = 10 * 60;
/** How often a running provider re-reads the key set (src/main.ts). */
export const KEY_REFRESH_INTERVAL_SECONDS = 60;
/** The least delay under which a rotation can surprise a cache: max-age plus one refresh. */
export const MIN_SAFE_ACTIVATION_SECONDS = JWKS_MAX_AGE_SECONDS + KEY_REFRESH_INTERVAL_SECONDS;
/** Default delay between publishing a new key and signing with it: six max-ages, one hour. */
export const DEFAULT_ACTIVATION_DELAY_SECONDS = 60 * 60;

export type KeyState = 'next' | 'current' | 'retiring';

export interface PrivateJwks {
  keys: JWK[];
}

export interface KeyDeps {
  models: Models;
  now?: () => number;
}

async function generateSigningKey(alg: SigningAlg, now: number, activateAt: number): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { _id: kid, alg, privateJwk: { ...jwk, kid, alg, use: 'sig' }, createdAt: new Date(now), activateAt: new Date(activateAt) };
}

type KeyTimes = Pick<SigningKey, '_id' | 'alg' | 'createdAt' | 'activateAt' | 'retireAt'>;

const activation = (key: KeyTimes) => (key.activateAt ?? key.createdAt).getTime();
const published = (key: KeyTimes, at: number) => !key.retireAt || key.retireAt.getTime() > at;
const retirement = (key: KeyTimes) => key.retireAt?.getTime() ?? Number.POSITIVE_INFINITY;
/** Latest activation first; on a tie (an immediate rotation) the key that replaced the other. */
const newestFirst = (a: KeyTimes, b: KeyTimes) => activation(b) - activation(a) || retirement(b) - retirement(a);

/** Each published key's state at `at`. */
export function keyStates<K extends KeyTimes>(keys: readonly K[], at: number): Array<K & { state: KeyState }> {
  const live = keys.filter((key) => published(key, at));
  const current = new Set<string>();
  for (const alg of SIGNING_ALGS) {
    const signing = live.filter((key) => key.alg === alg && activation(key) <= at).sort(newestFirst)[0];
    if (signing) current.add(signing._id);
  }
  return live.map((key) => ({ ...key, state: current.has(key._id) ? 'current' : activation(key) > at ? 'next' : 'retiring' }));
}

/** Makes sure the store holds a signing key per algorithm (first development start). */
export async function ensureSigningKeys({ models, now = Date.now }: KeyDeps): Promise<void> {
  const at = now();
  const states = keyStates(await models.SigningKey.find({}, { privateJwk: 0 }).lean(), at);
  for (const alg of SIGNING_ALGS) {
    if (states.some((key) => key.alg === alg && key.state === 'current')) continue;
    await models.SigningKey.create(await generateSigningKey(alg, at, at));
  }
}

export interface RotationPlan {
  /** Seconds from now until the new keys sign (default DEFAULT_ACTIVATION_DELAY_SECONDS). */
  activateAfterSeconds?: number;
  /** How long a replaced key stays published after the new one signs: its tokens' longest lifetime. */
  retireAfterSeconds: number;
}

/**
 * Publishes new keys now; they sign from `activateAt`. Every key they replace (the current one, and
 * a next key not yet active) retires `retireAfterSeconds` after that.
 */
export async function rotateSigningKeys({ models, now = Date.now }: KeyDeps, plan: RotationPlan): Promise<{ next: string[]; replaced: string[]; activateAt: Date; retireAt: Date }> {
  const at = now();
  const activateAt = at + (plan.activateAfterSeconds ?? DEFAULT_ACTIVATION_DELAY_SECONDS) * 1000;
  const retireAt = new Date(activateAt + plan.retireAfterSeconds * 1000);
  const replaced = (await models.SigningKey.find({ $or: [{ retireAt: { $exists: false } }, { retireAt: null }] }, { _id: 1 }).lean()).map((key) => key._id);
  const fresh = await Promise.all(SIGNING_ALGS.map((alg) => generateSigningKey(alg, at, activateAt)));
  await models.SigningKey.insertMany(fresh);
  await models.SigningKey.updateMany({ _id: { $in: replaced } }, { $set: { retireAt } });
  return { next: fresh.map((key) => key._id), replaced, activateAt: new Date(activateAt), retireAt };
}

/** Removes keys whose last token has expired. */
export async function pruneRetiredKeys({ models, now = Date.now }: KeyDeps): Promise<number> {
  const { deletedCount } = await models.SigningKey.deleteMany({ retireAt: { $lte: new Date(now()) } });
  return deletedCount;
}

/**
 * The private JWKS handed to the provider: the current key of each alg first (so it signs), then
 * next and retiring keys, published only (next so caches learn them, retiring so earlier tokens
 * still verify).
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
  const states = keyStates(await models.SigningKey.find({}).lean(), now());
  const rank = { current: 0, next: 1, retiring: 2 } as const;
  states.sort((a, b) => rank[a.state] - rank[b.state] || newestFirst(a, b));
  return { keys: states.map((key) => key.privateJwk as JWK) };
}

/** A fingerprint of the key set, so a running server notices a rotation made by the CLI. */
export function jwksFingerprint(jwks: PrivateJwks): string {
  return jwks.keys.map((key) => key.kid).join(',');
}
