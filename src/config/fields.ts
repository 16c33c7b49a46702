// Field parsers for the configuration schema. Every value may come from an environment variable
// (always a string) or from the JSON file (string, number, boolean, array or object).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);

export const text = z.preprocess(trimmed, z.string().min(1, 'must not be empty'));

export const integer = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value),
    z.number({ error: 'must be a whole number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );

export const flag = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
  z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])], { error: 'must be true or false' }),
).transform((value) => value === true || value === 'true' || value === '1' || value === 'yes');

/** A comma-separated string (environment) or an array of strings (JSON file). */
export const list = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value),
  z.array(z.string().min(1), { error: 'must be a comma-separated list or an array of strings' }),
);

export const httpUrl = text.pipe(
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
).transform((url) => url.replace(/\/+$/, ''));

export const cookieKeys = list.pipe(
  z.array(z.string().min(32, 'each key must be at least 32 characters')).min(1, 'needs at least one key'),
);

/** An IP address or CIDR range, IPv4 or IPv6. */
export const proxyList = list.pipe(
  z.array(
    z.string().refine((entry) => {
      const [address = '', prefix, extra] = entry.split('/');
      const family = isIP(address);
      if (family === 0 || extra !== undefined) return false;
      if (prefix === undefined) return true;
      const bits = Number(prefix);
      return /^\d+$/.test(prefix) && bits >= 0 && bits <= (family === 4 ? 32 : 128);
    }, { error: (issue) => `"${String(issue.input)}" is not an IP address or CIDR range` }),
  ),
);

export const readableFile = text.refine((path) => {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}, { error: (issue) => `cannot read file "${String(issue.input)}"` });

const privateJwk = z.looseObject({
  kty: z.enum(['RSA', 'EC'], { error: 'kty must be RSA or EC' }),
  d: z.string({ error: 'must be a private key (missing "d")' }),
  kid: z.string().optional(),
  alg: z.enum(['RS256', 'ES256'], { error: 'alg must be RS256 or ES256' }).optional(),
  crv: z.string().optional(),
});
export type PrivateJwk = z.infer<typeof privateJwk>;

/** A private JWKS given inline as JSON, or as a path to a JSON file. It must hold an RSA key (RS256 is mandatory in OIDC). */
export const signingKeys = z.preprocess((value, ctx) => {
  if (typeof value !== 'string') return value;
  const source = value.trim();
  try {
    return JSON.parse(source.startsWith('{') ? source : readFileSync(source, 'utf8'));
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a private JWKS as JSON, or a path to a readable JSON file holding one' });
    return z.NEVER;
  }
}, z.object({ keys: z.array(privateJwk).min(1, 'needs at least one key') }, { error: 'must be a JWKS object ({ "keys": [...] })' })
  .refine((jwks) => jwks.keys.some((key) => key.kty === 'RSA'), 'needs at least one RSA key (RS256)')
  .refine((jwks) => jwks.keys.every((key) => key.kty !== 'EC' || key.crv === 'P-256'), 'EC keys must use curve P-256 (ES256)'));

/**
 * OWASP Password Storage Cheat Sheet: argon2id minimum memory (KiB) for each time cost, all with
 * parallelism 1 and equivalent in strength. Higher time costs than listed use the last row.
 */
export const ARGON2_MINIMUM_MEMORY_KIB: ReadonlyMap<number, number> = new Map([
  [1, 47_104],
  [2, 19_456],
  [3, 12_288],
  [4, 9_216],
  [5, 7_168],
]);

export function argon2MinimumMemory(timeCost: number): number {
  return ARGON2_MINIMUM_MEMORY_KIB.get(Math.min(timeCost, 5)) ?? Number.POSITIVE_INFINITY;
}
