// Secrets never reach the audit log, even when a caller slips: every key of `details`, at any
// depth, that looks like it names a secret has its value replaced by REDACTED, and any string that
// looks like a JWT is replaced wherever it sits. Deliberately broad (a `zipcode` is redacted too):
// a lost detail costs less than a leaked secret. SAFE_KEYS lists the few names that match but hold
// no secret; the values under a safe key are still scanned.
export const REDACTED = '[redacted]';

const SECRET_KEY = /pass(word)?|secret|token|code|otp|cookie|authorization/i;
const JWT_LIKE = /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/;

/** Exact key names that match SECRET_KEY but name settings or facts, not secrets. */
export const SAFE_KEYS: ReadonlySet<string> = new Set([
  'reasons',
  'passwordPolicy', // a practice's password rules (lengths, switches), for admin.practice.security_changed
  'passwordlessAllowed', // a practice setting (true/false), for admin.practice.security_changed
  'trustedIpsBypass', // a practice setting (true/false), for admin.practice.security_changed
  'passwordChangedAt',
  'hasPassword',
  'codeChannel', // sms | email
  'tokenType', // access_token | refresh_token, for token.revoked
]);

/** Deeper than this is cut off: details are a few small objects, never a document tree. */
const MAX_DEPTH = 8;

export function isSecretKey(key: string): boolean {
  return !SAFE_KEYS.has(key) && SECRET_KEY.test(key);
}

/**
 * A redacted deep copy as plain JSON values (Dates and ObjectIds become strings; undefined and
 * functions go; NaN becomes null), so what is hashed is exactly what the store gives back.
 */
export function redactDetails(details: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(scrub(details, 0, new WeakSet())) ?? 'null') as unknown;
  return copy !== null && typeof copy === 'object' && !Array.isArray(copy) ? copy as Record<string, unknown> : {};
}

function scrub(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return JWT_LIKE.test(value) ? REDACTED : value;
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return scrub((value as { toJSON(): unknown }).toJSON(), depth, seen);
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSecretKey(key) ? REDACTED : scrub(item, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
