/**
 * What the store refuses up front, so code that passes here cannot fail (or quietly answer
 * differently) on MongoDB: what mongod 7.0 itself refuses, with its error code (unknown fields of
 * update/delete statements such as 8.0's update `sort`, `hint` naming no index, write concerns a
 * standalone cannot satisfy, unknown `create` options), and what this store does not implement
 * (collation, `let`, views, validators, capped and other special collections) as a clear
 * NotImplemented error instead of a silently different answer.
 */
import type { Doc } from '../bson-util.js';
import type { Collection } from '../collection.js';
import { StoreError, badValue, notImplemented, typeMismatch } from '../errors.js';

/** mongod's IDL parser refusing a field it does not know (code 40415). */
export function unknownField(path: string): StoreError {
  return new StoreError(40415, 'Location40415', `BSON field '${path}' is an unknown field.`);
}

function notInStore(what: string): StoreError {
  return notImplemented(`${what} is not supported by the embedded store; use MongoDB (MONGODB_URI) for it`);
}

/** `{locale: 'simple'}` is binary comparison, what the store does anyway; any other collation is refused. */
export function refuseCollation(collation: unknown): void {
  if (collation === undefined || collation === null) return;
  const simple = typeof collation === 'object' && !Array.isArray(collation)
    && Object.keys(collation).length === 1 && (collation as Doc).locale === 'simple';
  if (!simple) throw notInStore('collation');
}

/** Checks every command: `let`, a top-level collation, the write concern. */
export function refuseCommandOptions(cmd: Doc): void {
  if (cmd.let !== undefined) throw notInStore("'let' (command variables)");
  refuseCollation(cmd.collation);
  if (cmd.writeConcern !== undefined) checkWriteConcern(cmd.writeConcern);
}

/** What a standalone mongod accepts: w 0/1/'majority', j, wtimeout (it has no replicas to wait for). */
function checkWriteConcern(wc: unknown): void {
  if (!wc || typeof wc !== 'object' || Array.isArray(wc)) {
    throw typeMismatch("BSON field 'writeConcern' is the wrong type, expected type 'object'");
  }
  const { w, j, wtimeout, fsync } = wc as Doc;
  if (w !== undefined) {
    if (typeof w === 'number') {
      if (!Number.isInteger(w) || w < 0) throw new StoreError(9, 'FailedToParse', `w has to be a non-negative number and not greater than 50; found: ${String(w)}`);
      if (w > 1) throw badValue("cannot use 'w' > 1 when a host is not replicated");
    } else if (typeof w === 'string') {
      if (w !== 'majority') throw badValue(`cannot use non-majority 'w' mode ${w} when a host is not a member of a replica set`);
    } else {
      throw typeMismatch(`BSON field 'writeConcern.w' is the wrong type '${typeof w}', expected types '[string, int, decimal, double, long]'`);
    }
  }
  for (const [name, value] of [['j', j], ['fsync', fsync]] as const) {
    if (value !== undefined && typeof value !== 'boolean' && typeof value !== 'number') {
      throw typeMismatch(`BSON field 'writeConcern.${name}' is the wrong type, expected types '[bool, int, decimal, double, long]'`);
    }
  }
  if (wtimeout !== undefined && typeof wtimeout !== 'number') {
    throw typeMismatch("BSON field 'writeConcern.wtimeout' is the wrong type, expected a number");
  }
}

const UPDATE_STATEMENT_FIELDS = new Set(['q', 'u', 'c', 'upsert', 'multi', 'arrayFilters', 'hint', 'collation', 'upsertSupplied']);
const DELETE_STATEMENT_FIELDS = new Set(['q', 'limit', 'hint', 'collation']);

/**
 * The statements of `update` (`updates`) or `delete` (`deletes`), before any runs: like mongod's
 * parser, an unknown field fails the whole command.
 */
export function checkStatements(command: 'update' | 'delete', statements: unknown): void {
  if (!Array.isArray(statements)) return;
  const known = command === 'update' ? UPDATE_STATEMENT_FIELDS : DELETE_STATEMENT_FIELDS;
  for (const stmt of statements as Doc[]) {
    if (!stmt || typeof stmt !== 'object') continue;
    for (const field of Object.keys(stmt)) {
      // e.g. `sort` on updateOne/replaceOne: MongoDB 8.0 accepts it, 7.0 (which this store reports) does not.
      if (!known.has(field)) throw unknownField(`${command}.${command === 'update' ? 'updates' : 'deletes'}.${field}`);
    }
    if (stmt.c !== undefined) throw notInStore("'c' (update constants)");
    refuseCollation(stmt.collation);
  }
}

/** A hint must name an existing index, by name or key pattern (`$natural` is always fine). */
export function checkHint(coll: Collection | undefined, hint: unknown): void {
  if (hint === undefined || hint === null || !coll) return;
  if (typeof hint === 'object' && !Array.isArray(hint) && Object.keys(hint).length === 0) return;
  if (typeof hint === 'object' && !Array.isArray(hint) && '$natural' in (hint as Doc)) return;
  const found = [...coll.indexes.values()].some((index) => typeof hint === 'string'
    ? index.name === hint
    : JSON.stringify(index.spec.key) === JSON.stringify(hint));
  if (!found) throw badValue('error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
}

/** The `create` options of MongoDB 7.0 this store does not implement (refused) or does not need (accepted). */
const CREATE_UNSUPPORTED: Record<string, string> = {
  capped: 'capped collections', size: 'capped collections', max: 'capped collections',
  viewOn: 'views', pipeline: 'views',
  validator: 'document validation', validationLevel: 'document validation', validationAction: 'document validation',
  collation: 'collation', timeseries: 'time series collections', clusteredIndex: 'clustered collections',
  expireAfterSeconds: 'clustered collections', changeStreamPreAndPostImages: 'change streams',
  encryptedFields: 'queryable encryption', storageEngine: 'storage engine options',
  indexOptionDefaults: 'index option defaults', idIndex: 'a custom _id index', autoIndexId: 'collections without an _id index',
  temp: 'temporary collections', flags: 'collection flags', recordPreImages: 'pre-images',
};
const CREATE_ACCEPTED = new Set(['comment', 'writeConcern', 'lsid', '$db', '$readPreference', '$clusterTime', 'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'maxTimeMS']);

/** Refuses every `create` option; the options a plain collection never needs are accepted. */
export function checkCreateOptions(options: Doc): void {
  for (const [name, value] of Object.entries(options)) {
    if (CREATE_ACCEPTED.has(name)) continue;
    const feature = CREATE_UNSUPPORTED[name];
    if (!feature) throw unknownField(`create.${name}`);
    if (name === 'collation') refuseCollation(value);
    else if (!(name === 'capped' && value === false)) throw notInStore(`${feature} ('${name}')`);
  }
}
