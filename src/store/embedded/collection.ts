/**
 * One collection: documents keyed by canonical _id in natural (insertion) order, its indexes,
 * and the only write paths (insert / replace / remove), which enforce unique indexes, hide or
 * evict TTL-expired documents and record every resulting state in the journal. Stored documents
 * are never mutated: a write stores a fresh BSON copy, so cursors keep a stable snapshot.
 */
import { cloneDoc, idFirst, isLookupValue, valueKey, type Doc } from './bson-util.js';
import { ObjectId } from 'bson';
import type { JournalSink } from './entries.js';
import { indexNotFound, invalidOptions, indexKeySpecsConflict, indexOptionsConflict } from './errors.js';
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

export interface CollectionEnv {
  /** Swapped from a discarding sink to the journal once replay is done. */
  journal: JournalSink;
  now: () => number;
}

export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, Index>([['_id_', new Index(ID_INDEX_SPEC)]]);
  private ttl: Index[] = [];

  constructor(readonly db: string, readonly name: string, readonly options: Doc, private readonly env: CollectionEnv) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  isExpired(doc: Doc, now = this.env.now()): boolean {
    return this.ttl.some((index) => index.expiresAt(doc) < now);
  }

  /** Live (unexpired) documents matching `filter`, in natural order. */
  find(filter?: Doc, collation?: Collation): Doc[] {
    // The hot path (`{_id: <string|ObjectId>}`): the _id lookup is the whole match, so skip mingo.
    const matcher = isIdOnly(filter, collation) ? MATCH_ID : compileFilter(filter, collation);
    const now = this.env.now();
    const out: Doc[] = [];
    for (const doc of this.candidates(filter, collation)) {
      if (!this.isExpired(doc, now) && matcher.test(doc)) out.push(doc);
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
    const doc = cloneDoc(idFirst(input));
    const id = valueKey(doc._id);
    const existing = this.docs.get(id);
    if (existing) {
      if (!this.isExpired(existing)) throw this.idIndex().duplicateKeyError(this.ns, [doc._id]);
      this.remove(existing);
    }
    this.checkUnique(doc, id);
    this.store(id, doc);
    return doc;
  }

  /** Replaces `current` by `next` (same _id). Throws DuplicateKey. Returns the stored copy. */
  replace(current: Doc, nextInput: Doc): Doc {
    const next = cloneDoc(idFirst(nextInput));
    const id = valueKey(current._id);
    this.checkUnique(next, id);
    for (const index of this.indexes.values()) index.remove(current, id);
    this.store(id, next);
    return next;
  }

  remove(doc: Doc): void {
    const id = valueKey(doc._id);
    if (this.docs.get(id) !== doc) return;
    for (const index of this.indexes.values()) index.remove(doc, id);
    this.docs.delete(id);
    this.env.journal.append({ op: 'del', ns: this.ns, id: doc._id });
  }

  /** Removes every expired document now; returns how many. */
  sweep(now = this.env.now()): number {
    if (!this.ttl.length) return 0;
    const expired = [...this.docs.values()].filter((doc) => this.isExpired(doc, now));
    for (const doc of expired) this.remove(doc);
    return expired.length;
  }

  private store(id: string, doc: Doc): void {
    for (const index of this.indexes.values()) index.add(doc, id);
    this.docs.set(id, doc);
    this.env.journal.append({ op: 'put', ns: this.ns, doc });
  }

  private idIndex(): Index {
    return this.indexes.get('_id_') as Index;
  }

  /** Throws DuplicateKey if `doc` collides with another live document; evicts expired owners. */
  private checkUnique(doc: Doc, id: string): void {
    for (const index of this.indexes.values()) {
      for (let clash = index.conflict(doc, id); clash; clash = index.conflict(doc, id)) {
        const owner = this.docs.get(clash.owner);
        if (owner && this.isExpired(owner)) this.remove(owner);
        else if (owner) throw index.duplicateKeyError(this.ns, clash.values);
        else index.owners.delete(clash.values.map(valueKey).join('\u0000'));
      }
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
    const now = this.env.now();
    for (const [id, doc] of this.docs) {
      if (this.isExpired(doc, now) && index.unique) continue;
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
    this.ttl = this.ttl.filter((i) => i.name !== name);
    this.env.journal.append({ op: 'dropIndex', ns: this.ns, name });
  }

  private attach(index: Index): void {
    this.indexes.set(index.name, index);
    if (index.ttlSeconds !== undefined) this.ttl.push(index);
  }

  // Replay paths: apply recorded state without checks or journaling.
  applyPut(doc: Doc): void {
    const id = valueKey(doc._id);
    const old = this.docs.get(id);
    if (old) for (const index of this.indexes.values()) index.remove(old, id);
    for (const index of this.indexes.values()) index.add(doc, id);
    this.docs.set(id, doc);
  }

  applyDel(idValue: unknown): void {
    const id = valueKey(idValue);
    const old = this.docs.get(id);
    if (!old) return;
    for (const index of this.indexes.values()) index.remove(old, id);
    this.docs.delete(id);
  }

  applyIndex(spec: Doc): void {
    const index = new Index(spec);
    for (const [id, doc] of this.docs) index.add(doc, id);
    this.indexes.delete(index.name);
    this.ttl = this.ttl.filter((i) => i.name !== index.name);
    this.attach(index);
  }

  applyDropIndex(name: string): void {
    this.indexes.delete(name);
    this.ttl = this.ttl.filter((i) => i.name !== name);
  }
}
