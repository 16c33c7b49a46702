/**
 * Catalog commands: create, drop, dropDatabase, listCollections, listDatabases, createIndexes,
 * listIndexes, dropIndexes. Replies and error codes follow mongod (48 NamespaceExists,
 * 26 NamespaceNotFound, 27 IndexNotFound, 85/86 index conflicts, 11000 on unique builds).
 */
import { valueKey, type Doc } from '../bson-util.js';
import { badValue, indexNotFound, namespaceNotFound } from '../errors.js';
import { normalizeSpec } from '../indexes.js';
import { compileFilter } from '../query.js';
import { collectionName, docOption, type Handler } from './context.js';
import { checkCreateOptions, refuseCollation } from './refusals.js';

const create: Handler = (cmd, ctx) => {
  const { create: name, ...options } = cmd;
  checkCreateOptions(options);
  // Every option left is one a plain collection ignores (comment, session, write concern...).
  ctx.catalog.create(ctx.db, collectionName({ create: name }, 'create'), {});
  return { ok: 1 };
};

const drop: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, 'drop');
  const coll = ctx.catalog.drop(ctx.db, name);
  return { ns: `${ctx.db}.${name}`, nIndexesWas: coll?.indexes.size ?? 0, ok: 1 };
};

const dropDatabase: Handler = (_cmd, ctx) => {
  ctx.catalog.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

const listCollections: Handler = (cmd, ctx) => {
  const filter = compileFilter(docOption(cmd, 'filter'));
  const entries = ctx.catalog.collections(ctx.db).map((coll) => ({
    name: coll.name,
    type: 'collection',
    options: coll.options,
    info: { readOnly: false },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  }));
  const docs: Doc[] = entries.filter((entry) => filter.test(entry));
  const out = cmd.nameOnly === true ? docs.map(({ name, type }) => ({ name, type })) : docs;
  return ctx.cursors.firstBatch(`${ctx.db}.$cmd.listCollections`, out, undefined);
};

const listDatabases: Handler = (cmd, ctx) => {
  const databases = ctx.catalog.databases().map((name) => ({ name, sizeOnDisk: 0, empty: false }));
  return cmd.nameOnly === true
    ? { databases: databases.map(({ name }) => ({ name })), ok: 1 }
    : { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
};

const createIndexes: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, 'createIndexes');
  if (!Array.isArray(cmd.indexes) || !cmd.indexes.length) throw badValue("'indexes' must be a non-empty array");
  const specs = (cmd.indexes as Doc[]).map(normalizeSpec);
  for (const spec of specs) refuseCollation(spec.collation);
  const existed = ctx.catalog.get(ctx.db, name) !== undefined;
  const coll = ctx.catalog.obtain(ctx.db, name);
  const before = coll.indexes.size;
  const created = specs.filter((spec) => coll.createIndex(spec)).length;
  const reply: Doc = {
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.size,
    createdCollectionAutomatically: !existed,
  };
  if (!created) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

const listIndexes: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, 'listIndexes');
  const coll = ctx.catalog.get(ctx.db, name);
  if (!coll) throw namespaceNotFound(`ns does not exist: ${ctx.db}.${name}`);
  const specs = [...coll.indexes.values()].map((index) => index.spec);
  const cursor = docOption(cmd, 'cursor');
  return ctx.cursors.firstBatch(`${ctx.db}.${name}`, specs, cursor?.batchSize as number | undefined);
};

const dropIndexes: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, Object.keys(cmd)[0] as string);
  const coll = ctx.catalog.get(ctx.db, name);
  if (!coll) throw namespaceNotFound(`ns not found ${ctx.db}.${name}`);
  const was = coll.indexes.size;
  const target = cmd.index;
  let names: string[];
  if (target === '*') names = [...coll.indexes.keys()].filter((n) => n !== '_id_');
  else if (typeof target === 'string') names = [target];
  else if (Array.isArray(target)) names = target.map(String);
  else if (target && typeof target === 'object') {
    const match = [...coll.indexes.values()].find((i) => valueKey(i.spec.key) === valueKey(target));
    if (!match) throw indexNotFound(`can't find index with key: ${JSON.stringify(target)}`);
    names = [match.name];
  } else throw badValue("'index' must be a name, a key pattern, an array of names or '*'");
  for (const indexName of names) if (!coll.indexes.has(indexName)) throw indexNotFound(`index not found with name [${indexName}]`);
  for (const indexName of names) coll.dropIndex(indexName);
  return { nIndexesWas: was, ok: 1 };
};

export const adminCommands: Record<string, Handler> = {
  create, drop, dropDatabase, listCollections, listDatabases, createIndexes, listIndexes, dropIndexes,
  deleteIndexes: dropIndexes,
};
