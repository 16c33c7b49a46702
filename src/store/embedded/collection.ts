/**
 * One collection: documents keyed by canonical _id in natural (insertion) order, its indexes,
 * and the only write paths (insert / replace / remove), which enforce unique indexes, keep the
 * expiry queue of TTL indexes and record every resulting state in the journal. As on mongod, an
 * expired document stays visible (and keeps its unique keys) until the TTL monitor deletes it.
 * Stored documents are never mutated: a write stores a fresh BSON copy, so cursors keep a stable
 * snapshot.
 */
import { cloneDoc, idFirst, isLookupValue, valueKey, type Doc } from './bson-util.js';
import { BSONRegExp, ObjectId } from 'bson';
import type { JournalSink } from './entries.js';
import { StoreError, badValue, indexNotFound, invalidOptions, indexKeySpecsConflict, indexOptionsConflict } from './errors.js';
import { ExpiryQueue } from './expiry.js';
import { simpleEqualityMatcher } from './fast-paths.js';
import { ID_INDEX_SPEC, Index, sameIndex } from './indexes.js';
import { compileFilter, type Collation } from './query.js';

const MATCH_ID = { test: () => true };

/** A filter that only pins `_id` to a string or ObjectId, whose key lookup is an exact match. */
function isIdOnly(filter: Doc | undefined, collation: Collation | undefined): boolean {
  if (!filter || collation) return false;
  const keys = Object.keys(filter);
  const id = filter._id;
  return keys.length === 1 && keys[0] === '_id' && (typeof id === 'string' || id instanceof ObjectId);
}

/** mongod's checks on a stored `_id`: no regex, array or undefined, no `$`-prefixed field inside. */
function checkId(id: unknown): void {
  if (id instanceof RegExp || id instanceof BSONRegExp) throw badValue("can't use a regex for _id");
  if (Array.isArray(id)) throw badValue("can't use an array for _id");
  if (id === undefined) throw badValue("can't use a undefined for _id");
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object' || (value as { _bsontype?: string })._bsontype || value instanceof Date) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith('$')) {
        throw new StoreError(52, 'DollarPrefixedFieldName', `_id fields may not contain '$'-prefixed fields: ${key} is not valid for storage.`);
      }
      visit(inner);
    }
  };
  visit(id);
}

export interface CollectionEnv {
  /** Swapped from a discarding sink to the journal once replay is done. */
  journal: JournalSink;
  now: () => number;
}

export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, Index>([['_id_', new Index(ID_INDEX_SPEC)]]);
  private ttl: Index[] = [];
  private readonly expiry = new ExpiryQueue();

  constructor(readonly db: string, readonly name: string, readonly options: Doc, private readonly env: CollectionEnv) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Epoch ms after which the TTL monitor deletes `doc` (Infinity: never). */
  expiresAt(doc: Doc): number {
    let at = Infinity;
    for (const index of this.ttl) at = Math.min(at, index.expiresAt(doc));
    return at;
  }

  /** Documents matching `filter`, in natural order (expired ones too, until the monitor runs). */
  find(filter?: Doc, collation?: Collation): Doc[] {
    // The hot path (`{_id: <string|ObjectId>}`): the _id lookup is the whole match, so skip mingo.
    const matcher = isIdOnly(filter, collation) ? MATCH_ID
      : (!collation && simpleEqualityMatcher(filter)) || compileFilter(filter, collation);
    const out: Doc[] = [];
    for (const doc of this.candidates(filter, collation)) {
      if (matcher.test(doc)) out.push(doc);
    }
    return out;
  }

  /**
   * Narrows a scan through `_id` or an index whose fields the filter pins to plain values; the
   * index with the fewest candidates wins (a unique one gives at most one).
   */
  private candidates(filter: Doc | undefined, collation: Collation | undefined): Iterable<Doc> {
    if (!filter || collation) return this.docs.values();
    const id = filter._id;
    if (isLookupValue(id)) return this.pick([valueKey(id)]);
    if (id && typeof id === 'object' && Object.keys(id).length === 1 && Array.isArray((id as Doc).$in)) {
      const values = (id as Doc).$in as unknown[];
      if (values.every(isLookupValue)) return this.pick(values.map(valueKey));
    }
    let best: Iterable<string> | undefined;
    let bestSize = Infinity;
    for (const index of this.indexes.values()) {
      const ids = index.lookup(filter);
      const size = ids === undefined ? Infinity : Array.isArray(ids) ? ids.length : (ids as Set<string>).size;
      if (size < bestSize) [best, bestSize] = [ids, size];
      if (bestSize <= 1) break;
    }
    return best === undefined ? this.docs.values() : this.pick([...best]);
  }

  private pick(keys: string[]): Doc[] {
    const found = new Set<Doc>();
    for (const key of keys) {
      const doc = this.docs.get(key);
      if (doc) found.add(doc);
    }
    return [...found];
  }

  /** Inserts a document that already has an _id. Throws DuplicateKey. Returns the stored copy. */
  insert(input: Doc): Doc {
    checkId(input._id);
    const doc = cloneDoc(idFirst(input));
    const id = valueKey(doc._id);
    if (this.docs.has(id)) throw this.idIndex().duplicateKeyError(this.ns, [doc._id]);
    this.checkUnique(doc, id);
    this.store(id, doc);
    return doc;
  }

  /** Replaces `current` by `next` (same _id). Throws DuplicateKey. Returns the stored copy. */
  replace(current: Doc, nextInput: Doc): Doc {
    const next = cloneDoc(idFirst(nextInput));
    const id = valueKey(current._id);
    this.checkUnique(next, id);
    this.unlink(id, current);
    this.store(id, next);
    return next;
  }

  remove(doc: Doc): void {
    const id = valueKey(doc._id);
    if (this.docs.get(id) !== doc) return;
    this.unlink(id, doc);
    this.env.journal.append({ op: 'del', ns: this.ns, id: doc._id });
  }

  /**
   * Deletes up to `limit` documents whose TTL expiry is before `now`, earliest first, through the
   * expiry queue (never a scan); returns how many.
   */
  sweep(now = this.env.now(), limit = Infinity): number {
    let removed = 0;
    for (const id of this.expiry.takeDue(now, limit)) {
      const doc = this.docs.get(id);
      if (!doc) continue;
      const at = this.expiresAt(doc);
      if (at < now) {
        this.remove(doc);
        removed++;
      } else {
        this.expiry.set(id, at);
      }
    }
    return removed;
  }

  private store(id: string, doc: Doc): void {
    this.link(id, doc);
    this.env.journal.append({ op: 'put', ns: this.ns, doc });
  }

  /** Adds a document to the map, its indexes and the expiry queue. */
  private link(id: string, doc: Doc): void {
    for (const index of this.indexes.values()) index.add(doc, id);
    this.docs.set(id, doc);
    if (this.ttl.length) this.expiry.set(id, this.expiresAt(doc));
  }

  private unlink(id: string, doc: Doc): void {
    for (const index of this.indexes.values()) index.remove(doc, id);
    this.docs.delete(id);
    this.expiry.delete(id);
  }

  private idIndex(): Index {
    return this.indexes.get('_id_') as Index;
  }

  /** Throws DuplicateKey if `doc` collides with another document (expired or not, as on mongod). */
  private checkUnique(doc: Doc, id: string): void {
    for (const index of this.indexes.values()) {
      const clash = index.conflict(doc, id);
      if (clash) throw index.duplicateKeyError(this.ns, clash.values);
    }
  }

  /** Creates an index; false if an identical one exists. Throws on conflicts or existing duplicates. */
  createIndex(spec: Doc): boolean {
    for (const existing of this.indexes.values()) {
      const sameName = existing.name === spec.name;
      const sameKey = valueKey(existing.spec.key) === valueKey(spec.key);
      if (sameName && sameIndex(existing.spec, spec)) return false;
      if (sameName) {
        throw indexKeySpecsConflict(`An existing index has the same name as the requested index. ` +
          `When index names are not specified, they are auto generated and can cause conflicts. ` +
          `Requested index: ${JSON.stringify(spec.key)}, existing index: ${JSON.stringify(existing.spec.key)}`);
      }
      const samePartial = valueKey(existing.spec.partialFilterExpression) === valueKey(spec.partialFilterExpression);
      if (sameKey && samePartial) {
        throw indexOptionsConflict(sameIndex(existing.spec, spec)
          ? `Index already exists with a different name: ${existing.name}`
          : `An existing index has the same key pattern as the requested index but different options: ${existing.name}`);
      }
    }
    const index = new Index(spec);
    for (const [id, doc] of this.docs) {
      const clash = index.conflict(doc, id);
      if (clash) throw index.duplicateKeyError(this.ns, clash.values);
      index.add(doc, id);
    }
    this.attach(index);
    this.env.journal.append({ op: 'createIndex', ns: this.ns, spec });
    return true;
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw invalidOptions('cannot drop _id index');
    if (!this.indexes.delete(name)) throw indexNotFound(`index not found with name [${name}]`);
    this.detachTtl(name);
    this.env.journal.append({ op: 'dropIndex', ns: this.ns, name });
  }

  private attach(index: Index): void {
    this.indexes.set(index.name, index);
    if (index.ttlSeconds !== undefined) {
      this.ttl.push(index);
      this.requeue();
    }
  }

  private detachTtl(name: string): void {
    const before = this.ttl.length;
    this.ttl = this.ttl.filter((i) => i.name !== name);
    if (this.ttl.length !== before) this.requeue();
  }

  /** Rebuilds the expiry queue after the set of TTL indexes changed. */
  private requeue(): void {
    this.expiry.clear();
    if (!this.ttl.length) return;
    for (const [id, doc] of this.docs) this.expiry.set(id, this.expiresAt(doc));
  }

  // Replay paths: apply recorded state without checks or journaling.
  applyPut(doc: Doc): void {
    const id = valueKey(doc._id);
    const old = this.docs.get(id);
    if (old) this.unlink(id, old);
    this.link(id, doc);
  }

  applyDel(idValue: unknown): void {
    const id = valueKey(idValue);
    const old = this.docs.get(id);
    if (old) this.unlink(id, old);
  }

  applyIndex(spec: Doc): void {
    const index = new Index(spec);
    for (const [id, doc] of this.docs) index.add(doc, id);
    this.indexes.delete(index.name);
    this.detachTtl(index.name);
    this.attach(index);
  }

  applyDropIndex(name: string): void {
    this.indexes.delete(name);
    this.detachTtl(name);
  }
}
