// Abuse limits shared by every instance: counters live in the store (collection `rate_limits`),
// counted by rate-limiter-flexible's MongoDB limiter (an atomic upsert + $inc per request).
//
// Windows are fixed and come from our clock, not the library's: the window's number is part of the
// stored key, so a new window is a fresh counter and Retry-After is the time to the window's end.
// That keeps the clock injectable (tests move time instead of sleeping). The library's own expiry
// runs on real time and is only a backstop (window + 1 h); the TTL index on `windowEnd` (our clock)
// clears old counters. Keys are hashed: an email never lands in the store or a log in plain text.
import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import type { AuditInput, AuditLog } from '../audit/record.js';
import { RateLimitedError } from '../errors.js';
import { DEFAULT_LIMITS, LIMIT_NAMES, type LimitName, type LimitRule, type LimitRules } from '../config/limit-rules.js';

export type { LimitName } from '../config/limit-rules.js';

export const RATE_LIMIT_COLLECTION = 'rate_limits';
const BACKSTOP_SECONDS = 3600;

interface Refusal {
  name: LimitName;
  retryAfterSeconds: number;
  first: boolean;
}

/** Who is asking, for the audit entry of a refused request (never the raw key). */
export type LimitContext = Pick<AuditInput, 'ip' | 'userAgent' | 'userSub' | 'practiceId' | 'clientId'>;

export interface RateLimits {
  /** Counts one request; throws RateLimitedError over the limit (the first refusal of a key in a window is audited). */
  consume(name: LimitName, key: string, about?: LimitContext): Promise<void>;
  /**
   * Counts one request against several limits at once (one round trip of wait, not one each).
   * Every limit counts it; the first refusing one, in the order given, is audited and thrown.
   */
  consumeAll(limits: ReadonlyArray<readonly [LimitName, string]>, about?: LimitContext): Promise<void>;
  /**
   * For limits that count failures only: refuses (429, like consume) when the key has used its
   * allowance in this window, and otherwise lets the request through without counting it.
   */
  check(name: LimitName, key: string, about?: LimitContext): Promise<void>;
  /** Counts one failure toward a `check` limit; never refuses (the next check does). */
  record(name: LimitName, key: string): Promise<void>;
  /** Forgets the key's count in the current window (e.g. an operator clearing a false alarm). */
  reset(name: LimitName, key: string): Promise<void>;
  readonly rules: LimitRules;
}

export interface RateLimitsOptions {
  connection: Connection;
  /** Milliseconds since the epoch (injected in tests). */
  now?: () => number;
  /** Overrides of DEFAULT_LIMITS (config RATE_LIMITS, or small limits in tests). */
  rules?: Partial<Record<LimitName, LimitRule>>;
  /** Where refused requests are recorded (`request.rate_limited`). */
  audit?: AuditLog;
}

export function createRateLimits({ connection, now = Date.now, rules: overrides = {}, audit }: RateLimitsOptions): RateLimits {
  const db = connection.db;
  if (!db) throw new Error('rate limits need an open store connection');
  const rules: LimitRules = { ...DEFAULT_LIMITS, ...overrides };
  const limiters = Object.fromEntries(LIMIT_NAMES.map((name) => [name, new RateLimiterMongo({
    storeClient: db,
    tableName: RATE_LIMIT_COLLECTION,
    keyPrefix: name,
    points: rules[name].points,
    duration: rules[name].seconds + BACKSTOP_SECONDS,
    disableIndexesCreation: true,
  })])) as Record<LimitName, RateLimiterMongo>;

  let indexes: Promise<unknown> | undefined;
  const ensureIndexes = () => (indexes ??= (async () => {
    const collection = db.collection(RATE_LIMIT_COLLECTION);
    await collection.createIndex({ key: 1 }, { unique: true });
    await collection.createIndex({ windowEnd: 1 }, { expireAfterSeconds: 0 });
  })().catch((err: unknown) => {
    indexes = undefined;
    throw err;
  }));

  const windowOf = (name: LimitName, key: string) => {
    const ms = rules[name].seconds * 1000;
    const index = Math.floor(now() / ms);
    return { storedKey: `${index}:${hashKey(key)}`, end: (index + 1) * ms };
  };

  /** Counts one request; over the limit, says how long to wait and whether it is the key's first refusal in this window. */
  const count = async (name: LimitName, key: string): Promise<Refusal | undefined> => {
    const window = windowOf(name, key);
    try {
      await limiters[name].consume(window.storedKey, 1, { attrs: { windowEnd: new Date(window.end) } });
      return undefined;
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      return { name, retryAfterSeconds: Math.max(1, Math.ceil((window.end - now()) / 1000)), first: err.consumedPoints === rules[name].points + 1 };
    }
  };

  // One audit entry per key and window: a flood of refused requests must not become a flood of
  // audit writes (the log would be the attacker's amplifier); the first refusal says it all.
  const refuse = async ({ name, retryAfterSeconds, first }: Refusal, about?: LimitContext): Promise<never> => {
    if (audit && first) await audit.record({ ...about, event: 'request.rate_limited', outcome: 'failure', reasons: [name], details: { retryAfterSeconds } });
    throw new RateLimitedError(name, retryAfterSeconds);
  };

  return {
    rules,
    async consume(name, key, about) {
      await ensureIndexes();
      const refusal = await count(name, key);
      if (refusal) await refuse(refusal, about);
    },
    async consumeAll(list, about) {
      await ensureIndexes();
      const refusal = (await Promise.all(list.map(([name, key]) => count(name, key)))).find(Boolean);
      if (refusal) await refuse(refusal, about);
    },
    async check(name, key, about) {
      await ensureIndexes();
      const used = await limiters[name].get(windowOf(name, key).storedKey);
      if (!used || used.consumedPoints < rules[name].points) return;
      // Over: count this refused request too, so only the first refusal of the window is audited.
      const refusal = await count(name, key);
      if (refusal) await refuse(refusal, about);
    },
    async record(name, key) {
      await ensureIndexes();
      await count(name, key);
    },
    async reset(name, key) {
      await limiters[name].delete(windowOf(name, key).storedKey);
    },
  };
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 32);
}
