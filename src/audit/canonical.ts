// Canonical JSON and the entry hash of the audit chain. The same fields must give the same bytes
// whichever process wrote or reads them: object keys sorted by code unit, Dates as ISO strings
// (UTC, milliseconds), ObjectIds as hex, undefined properties left out, no whitespace.
import { createHash } from 'node:crypto';

/** The prevHash of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no ${value}`);
      return JSON.stringify(value);
    case 'object':
      return canonicalObject(value);
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

function canonicalObject(value: object): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('canonical JSON cannot hold an invalid Date');
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (isObjectId(value)) return JSON.stringify(value.toHexString());
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`canonical JSON cannot hold a ${value.constructor?.name ?? 'class instance'}`);
  }
  const members = Object.keys(value).sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

function isObjectId(value: object): value is { toHexString(): string } {
  return (value as { _bsontype?: unknown })._bsontype === 'ObjectId';
}

/** SHA-256 of the canonical JSON, lowercase hex. */
export function hashCanonical(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
