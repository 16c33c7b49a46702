/**
 * The hot path of the application (sign-in: a record by id or unique key, `$set`/`$inc` on it)
 * without mingo: plain equality filters on top-level fields and `$set`/`$inc` of top-level fields
 * are evaluated here, with mongod's semantics for exactly those shapes (an array field matches
 * when one of its elements is equal). Anything else returns undefined and goes to mingo.
 */
import { ObjectId } from 'bson';
import { isLookupValue, type Doc } from './bson-util.js';
import type { Matcher } from './query.js';

function equalScalar(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof ObjectId) return b instanceof ObjectId && a.equals(b);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  return false;
}

function matchesValue(field: unknown, wanted: unknown): boolean {
  if (Array.isArray(field)) return field.some((item) => equalScalar(item, wanted));
  return equalScalar(field, wanted);
}

/** A matcher for `{field: value, ...}` (top-level fields, plain string/number/boolean/ObjectId/Date values), else undefined. */
export function simpleEqualityMatcher(filter: Doc | undefined): Matcher | undefined {
  if (!filter) return undefined;
  const entries = Object.entries(filter);
  if (!entries.length) return undefined;
  for (const [key, value] of entries) {
    if (key.startsWith('$') || key.includes('.') || !isLookupValue(value)) return undefined;
    // mingo and mongod compare numbers across types the same way; NaN never equals here either.
    if (typeof value === 'number' && Number.isNaN(value)) return undefined;
  }
  return { test: (doc) => entries.every(([key, value]) => matchesValue(doc[key], value)) };
}

/**
 * Applies an update made only of `$set` and `$inc` on distinct top-level fields (not `_id`) to
 * `doc` (already a private copy); false when the update has another shape (mingo's job then).
 * Operand types were checked before (update-operands.ts).
 */
export function applySimpleUpdate(doc: Doc, ops: Doc): boolean {
  const names = Object.keys(ops);
  if (!names.every((name) => name === '$set' || name === '$inc')) return false;
  const seen = new Set<string>();
  for (const name of names) {
    for (const key of Object.keys(ops[name] as Doc)) {
      if (key === '_id' || key.startsWith('$') || key.includes('.') || !key || seen.has(key)) return false;
      seen.add(key);
    }
  }
  const set = (ops.$set as Doc | undefined) ?? {};
  for (const [key, value] of Object.entries(set)) doc[key] = value;
  const inc = (ops.$inc as Doc | undefined) ?? {};
  for (const [key, value] of Object.entries(inc)) doc[key] = ((doc[key] as number | undefined) ?? 0) + (value as number);
  return true;
}
