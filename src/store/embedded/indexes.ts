/**
 * One index of a collection: its spec as the client gave it (so listIndexes round-trips and
 * mongoose's syncIndexes sees no drift), the keys a document produces, unique enforcement
 * (missing field = null unless sparse/partial; arrays are multikey) and TTL expiry.
 */
import { StoreError, badValue } from './errors.js';
import { getPath, isLookupValue, renderValue, valueKey, type Doc } from './bson-util.js';
import { compileFilter, type Matcher } from './query.js';

export interface IndexKey {
  key: string;
  values: unknown[];
}

export class Index {
  readonly name: string;
  readonly fields: string[];
  readonly unique: boolean;
  readonly sparse: boolean;
  /** Seconds after the indexed date at which a document expires; undefined if not a TTL index. */
  readonly ttlSeconds: number | undefined;
  private readonly partial: Matcher | undefined;
  /** Unique indexes only: index key → canonical _id of the owning document. */
  readonly owners = new Map<string, string>();
  /**
   * Other indexes without a partial filter: index key → canonical _id of the document under it,
   * or a Set once there are several (most keys have one document: no Set per document to build
   * at start-up and to collect later).
   */
  readonly members = new Map<string, string | Set<string>>();

  constructor(readonly spec: Doc) {
    this.name = spec.name as string;
    this.fields = Object.keys(spec.key as Doc);
    this.unique = spec.unique === true || spec.unique === 1;
    this.sparse = spec.sparse === true || spec.sparse === 1;
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
    const ttl = spec.expireAfterSeconds;
    this.ttlSeconds = typeof ttl === 'number' && this.fields.length === 1 ? ttl : undefined;
  }

  get isIdIndex(): boolean {
    return this.name === '_id_';
  }

  /** The keys `doc` contributes, or [] when a sparse/partial index skips it. */
  keysOf(doc: Doc): IndexKey[] {
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.fields.map((f) => (f.includes('.') ? getPath(doc, f) : doc[f]));
    // The common case (no array among the values): exactly one key, built without combinations.
    if (!perField.some(Array.isArray)) {
      if (this.sparse && perField.every((v) => v === undefined)) return [];
      const values = perField.map((v) => v ?? null);
      return [{ key: values.length === 1 ? valueKey(values[0]) : values.map(valueKey).join('\u0000'), values }];
    }
    if (this.sparse && perField.every((v) => v === undefined)) return [];
    let combos: unknown[][] = [[]];
    for (const value of perField) {
      const options = Array.isArray(value) ? (value.length ? value : [undefined]) : [value ?? null];
      combos = combos.flatMap((combo) => options.map((option) => [...combo, option]));
    }
    const seen = new Map<string, IndexKey>();
    for (const values of combos) {
      const key = values.map(valueKey).join('\u0000');
      if (!seen.has(key)) seen.set(key, { key, values });
    }
    return [...seen.values()];
  }

  /** The key strings of `doc`; a single-field index on a plain value builds no arrays (start-up, bulk loads). */
  private keyStrings(doc: Doc): string[] | string | undefined {
    if (this.fields.length === 1 && !this.partial) {
      const field = this.fields[0] as string;
      const value = field.includes('.') ? getPath(doc, field) : doc[field];
      if (!Array.isArray(value)) return value === undefined && this.sparse ? undefined : valueKey(value);
    }
    return this.keysOf(doc).map(({ key }) => key);
  }

  add(doc: Doc, id: string): void {
    const keys = this.keyStrings(doc);
    if (keys === undefined) return;
    if (this.unique) {
      for (const key of typeof keys === 'string' ? [keys] : keys) this.owners.set(key, id);
    } else if (!this.partial) {
      for (const key of typeof keys === 'string' ? [keys] : keys) {
        const ids = this.members.get(key);
        if (ids === undefined) this.members.set(key, id);
        else if (typeof ids === 'string') { if (ids !== id) this.members.set(key, new Set([ids, id])); }
        else ids.add(id);
      }
    }
  }

  remove(doc: Doc, id: string): void {
    if (this.unique) {
      for (const { key } of this.keysOf(doc)) if (this.owners.get(key) === id) this.owners.delete(key);
    } else if (!this.partial) {
      for (const { key } of this.keysOf(doc)) {
        const ids = this.members.get(key);
        if (ids === id || (typeof ids === 'object' && ids.delete(id) && ids.size === 0)) this.members.delete(key);
      }
    }
  }

  /**
   * The _ids of every document an equality filter on all of this index's fields can match, or
   * undefined when the index cannot answer (a partial index, or a field not pinned to a plain
   * non-null value: a sparse index then lacks the documents missing the field). A superset is
   * fine: the caller still applies the whole filter.
   */
  lookup(filter: Doc): Iterable<string> | undefined {
    if (this.partial || this.isIdIndex) return undefined;
    const values = this.fields.map((f) => filter[f]);
    if (!values.every(isLookupValue)) return undefined;
    const key = values.map(valueKey).join('\u0000');
    if (this.unique) {
      const owner = this.owners.get(key);
      return owner === undefined ? [] : [owner];
    }
    const ids = this.members.get(key);
    return ids === undefined ? [] : typeof ids === 'string' ? [ids] : ids;
  }

  /** The first key of `doc` owned by another document, if any. */
  conflict(doc: Doc, id: string): { owner: string; values: unknown[] } | undefined {
    if (!this.unique) return undefined;
    for (const { key, values } of this.keysOf(doc)) {
      const owner = this.owners.get(key);
      if (owner !== undefined && owner !== id) return { owner, values };
    }
    return undefined;
  }

  /** The E11000 error mongod reports for `values` colliding in this index. */
  duplicateKeyError(ns: string, values: unknown[]): StoreError {
    const keyValue: Doc = {};
    this.fields.forEach((f, i) => {
      keyValue[f] = values[i] ?? null;
    });
    const rendered = this.fields.map((f, i) => `${f}: ${renderValue(values[i])}`).join(', ');
    return new StoreError(11000, 'DuplicateKey',
      `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: { ${rendered} }`,
      { keyPattern: this.spec.key, keyValue });
  }

  /** Epoch ms after which `doc` is expired by this TTL index (Infinity: never). */
  expiresAt(doc: Doc): number {
    if (this.ttlSeconds === undefined) return Infinity;
    const value = getPath(doc, this.fields[0] as string);
    if (value instanceof Date) return value.getTime() + this.ttlSeconds * 1000;
    const dates = (Array.isArray(value) ? value : [value]).filter((v): v is Date => v instanceof Date);
    if (!dates.length) return Infinity;
    return Math.min(...dates.map((d) => d.getTime())) + this.ttlSeconds * 1000;
  }
}

/** Default index name, as mongod derives it: `a_1_b_-1`. */
export function defaultIndexName(key: Doc): string {
  return Object.entries(key).map(([f, dir]) => `${f}_${String(dir)}`).join('_');
}

/** Validates a createIndexes entry and returns the spec to store (as given, plus v: 2). */
export function normalizeSpec(raw: Doc): Doc {
  const key = raw.key;
  if (!key || typeof key !== 'object' || Array.isArray(key) || !Object.keys(key).length) {
    throw badValue('index key pattern must be a non-empty object');
  }
  const name = typeof raw.name === 'string' && raw.name ? raw.name : defaultIndexName(key as Doc);
  const { ns: _ns, v: _v, key: _key, name: _name, ...rest } = raw;
  if (rest.expireAfterSeconds !== undefined && (typeof rest.expireAfterSeconds !== 'number' || rest.expireAfterSeconds < 0)) {
    throw new StoreError(67, 'CannotCreateIndex', 'TTL index expireAfterSeconds must be a non-negative number');
  }
  return { v: 2, key, name, ...rest };
}

/** True when two specs describe the same index (same key and options, ignoring v/background). */
export function sameIndex(a: Doc, b: Doc): boolean {
  const options = ({ v: _v, background: _b, name: _n, key: _k, ...rest }: Doc) =>
    Object.keys(rest).sort().map((k) => `${k}=${valueKey(rest[k])}`).join(',');
  return valueKey(a.key) === valueKey(b.key) && options(a) === options(b);
}

export const ID_INDEX_SPEC: Doc = { v: 2, key: { _id: 1 }, name: '_id_' };
