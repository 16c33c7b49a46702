/**
 * The catalog: databases → collections. Creates collections implicitly (as mongod does on first
 * write), journals collection/database drops, applies journal entries on replay and sweeps TTL
 * indexes across everything.
 */
import type { Doc } from './bson-util.js';
import { Collection, type CollectionEnv } from './collection.js';
import type { JournalEntry } from './entries.js';
import { invalidNamespace, namespaceExists } from './errors.js';

export function splitNs(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

function checkNames(db: string, name: string): void {
  if (!db || /[/\\. "$\0]/.test(db)) throw invalidNamespace(`Invalid database name: '${db}'`);
  if (!name || name.includes('\0') || name.startsWith('$') || name.startsWith('.') || name.endsWith('.')) {
    throw invalidNamespace(`Invalid collection name: '${name}'`);
  }
}

export class Catalog {
  private readonly dbs = new Map<string, Map<string, Collection>>();

  constructor(private readonly env: CollectionEnv) {}

  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** The collection, created (and journaled) if missing. */
  obtain(db: string, name: string, options: Doc = {}): Collection {
    return this.get(db, name) ?? this.create(db, name, options);
  }

  create(db: string, name: string, options: Doc = {}): Collection {
    checkNames(db, name);
    if (this.get(db, name)) throw namespaceExists(`Collection ${db}.${name} already exists.`);
    const coll = this.attach(db, name, options);
    this.env.journal.append({ op: 'createCollection', ns: coll.ns, options });
    return coll;
  }

  private attach(db: string, name: string, options: Doc): Collection {
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    const coll = new Collection(db, name, options, this.env);
    colls.set(name, coll);
    return coll;
  }

  drop(db: string, name: string): Collection | undefined {
    const coll = this.get(db, name);
    if (!coll) return undefined;
    this.dbs.get(db)?.delete(name);
    if (this.dbs.get(db)?.size === 0) this.dbs.delete(db);
    this.env.journal.append({ op: 'dropCollection', ns: coll.ns });
    return coll;
  }

  dropDatabase(db: string): void {
    if (!this.dbs.delete(db)) return;
    this.env.journal.append({ op: 'dropDatabase', db });
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  databases(): string[] {
    return [...this.dbs.keys()];
  }

  all(): Collection[] {
    return [...this.dbs.values()].flatMap((colls) => [...colls.values()]);
  }

  /** Deletes up to `limit` documents expired before `now`, across every collection. */
  sweepExpired(now: number, limit = Infinity): number {
    let removed = 0;
    for (const coll of this.all()) {
      if (removed >= limit) break;
      removed += coll.sweep(now, limit - removed);
    }
    return removed;
  }

  /** Replays one journal entry (no checks, no journaling). */
  apply(entry: JournalEntry): void {
    if (entry.op === 'dropDatabase') {
      this.dbs.delete(entry.db);
      return;
    }
    const [db, name] = splitNs(entry.ns);
    const coll = () => this.get(db, name) ?? this.attach(db, name, {});
    switch (entry.op) {
      case 'put': return coll().applyPut(entry.doc);
      case 'del': return this.get(db, name)?.applyDel(entry.id);
      case 'createCollection': if (!this.get(db, name)) this.attach(db, name, entry.options); return;
      case 'dropCollection': this.dbs.get(db)?.delete(name); return;
      case 'createIndex': return coll().applyIndex(entry.spec);
      case 'dropIndex': return this.get(db, name)?.applyDropIndex(entry.name);
    }
  }

  /** Entries that rebuild the current state from nothing (the snapshot's content). */
  *snapshotEntries(): Generator<JournalEntry> {
    for (const coll of this.all()) {
      yield { op: 'createCollection', ns: coll.ns, options: coll.options };
      for (const index of coll.indexes.values()) {
        if (!index.isIdIndex) yield { op: 'createIndex', ns: coll.ns, spec: index.spec };
      }
      for (const doc of coll.docs.values()) yield { op: 'put', ns: coll.ns, doc };
    }
  }
}
