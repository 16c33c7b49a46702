/**
 * BSON helpers shared by the store: deep copies by BSON round trip (so stored documents never
 * alias anyone else's objects and carry only BSON types), canonical keys for `_id` and index
 * values (so 1 and 1.0 meet, as in mongod), and mongod's shell-like rendering of key values
 * for E11000 messages.
 */
import { EJSON, ObjectId, deserialize, serialize, type Document } from 'bson';

export type Doc = Document;

/** A deep, BSON-normalised copy. Throws on values BSON cannot hold. */
export function cloneDoc<T extends Doc>(doc: T): T {
  return deserialize(serialize(doc, { ignoreUndefined: true })) as T;
}

/** The document with `_id` as its first field, as mongod stores it. */
export function idFirst(doc: Doc, id: unknown = doc._id): Doc {
  if (Object.keys(doc)[0] === '_id' && doc._id === id) return doc;
  const { _id: _ignored, ...rest } = doc;
  return { _id: id, ...rest };
}

/** Byte-level equality: the "was it modified?" test behind nModified. */
export function sameBson(a: Doc, b: Doc): boolean {
  return Buffer.from(serialize(a, { ignoreUndefined: true })).equals(serialize(b, { ignoreUndefined: true }));
}

/** Canonical string for one BSON value; equal values (per mongod index equality) give equal keys. */
export function valueKey(value: unknown): string {
  if (value === undefined || value === null) return 'z';
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'number') return Object.is(value, -0) ? 'n0' : `n${value}`;
  if (typeof value === 'boolean') return value ? 'bT' : 'bF';
  if (value instanceof ObjectId) return `o${value.toHexString()}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  return `e${EJSON.stringify({ v: value } as Doc, { relaxed: false })}`;
}

/** The value at a dotted path; arrays along the way are traversed (numeric segments index them). */
export function getPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current) && !/^\d+$/.test(part)) {
      const values = current.map((item) => getPath(item, part)).filter((v) => v !== undefined);
      return values.length ? values.flat() : undefined;
    }
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Sets a dotted path, creating plain objects on the way (used to build upsert documents). */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let current: Doc = doc;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (next === null || typeof next !== 'object') current[part] = {};
    current = current[part] as Doc;
  }
  current[parts[parts.length - 1] as string] = value;
}

/** mongod's rendering of a value inside `dup key: { ... }`. */
export function renderValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (Array.isArray(value)) return `[ ${value.map(renderValue).join(', ')} ]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Doc).map(([k, v]) => `${k}: ${renderValue(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return String(value);
}

/** True for a plain value usable as an exact-match lookup key (not an operator, regex or array). */
export function isLookupValue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (['string', 'number', 'boolean'].includes(typeof value)) return true;
  return value instanceof ObjectId || value instanceof Date;
}
