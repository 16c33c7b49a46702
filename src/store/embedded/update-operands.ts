/**
 * What mongod checks or decides about update operands and mingo does not: numeric operands and
 * targets for $inc/$mul, array targets for the array operators (mingo would silently do
 * something else), and `$currentDate` stamped with the store's clock (the one TTL uses).
 */
import { Timestamp } from 'bson';
import type { Doc } from './bson-util.js';
import { StoreError } from './errors.js';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (typeof value === 'object') return (value as { _bsontype?: string })._bsontype?.toLowerCase() ?? 'object';
  return typeof value === 'number' ? 'double' : typeof value;
}

/** The value at a plain dotted path (numeric segments index arrays); undefined if absent. */
function valueAt(doc: Doc, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current) && !/^\d+$/.test(part)) return undefined;
    current = (current as Doc)[part];
  }
  return current;
}

const NUMERIC_OPS = new Set(['$inc', '$mul']);
const ARRAY_OPS = new Set(['$push', '$addToSet', '$pull', '$pullAll', '$pop']);

/** Throws the mongod error for an operand or target of the wrong type. */
export function checkOperandTypes(doc: Doc, ops: Doc): void {
  for (const [op, args] of Object.entries(ops)) {
    if (!NUMERIC_OPS.has(op) && !ARRAY_OPS.has(op)) continue;
    for (const [path, arg] of Object.entries(args as Doc)) {
      if (path.includes('$')) continue;
      const current = valueAt(doc, path);
      if (NUMERIC_OPS.has(op)) {
        if (typeof arg !== 'number') {
          throw new StoreError(14, 'TypeMismatch', `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: { ${path}: ${typeName(arg)} }`);
        }
        if (current !== undefined && typeof current !== 'number') {
          throw new StoreError(14, 'TypeMismatch', `Cannot apply ${op} to a value of non-numeric type. The field '${path}' is of non-numeric type ${typeName(current)}`);
        }
      } else if (current !== undefined && !Array.isArray(current)) {
        if (op === '$pop') throw new StoreError(14, 'TypeMismatch', `Path '${path}' contains an element of non-array type '${typeName(current)}'`);
        throw new StoreError(2, 'BadValue', `The field '${path}' must be an array but is of type ${typeName(current)}`);
      }
    }
  }
}

/** Rewrites `$currentDate` into `$set` values taken from the store's clock. */
export function expandCurrentDate(ops: Doc, now: number): void {
  const spec = ops.$currentDate as Doc | undefined;
  if (!spec) return;
  delete ops.$currentDate;
  const set: Doc = { ...((ops.$set as Doc | undefined) ?? {}) };
  for (const [path, kind] of Object.entries(spec)) {
    if (path in set) throw new StoreError(40, 'ConflictingUpdateOperators', `Updating the path '${path}' would create a conflict at '${path}'`);
    const type = kind && typeof kind === 'object' ? (kind as Doc).$type : 'date';
    if (kind !== true && type !== 'date' && type !== 'timestamp') {
      throw new StoreError(2, 'BadValue', `${path} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`);
    }
    set[path] = type === 'timestamp' ? new Timestamp({ t: Math.floor(now / 1000), i: 1 }) : new Date(now);
  }
  ops.$set = set;
}
