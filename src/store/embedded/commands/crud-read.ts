/**
 * Read commands: find, getMore, killCursors, count, distinct, aggregate. Results are computed
 * synchronously (TTL-expired documents are never returned) and handed out through cursors.
 */
import { valueKey, getPath, type Doc } from '../bson-util.js';
import { badValue, notImplemented } from '../errors.js';
import { shape, type Collation } from '../query.js';
import { runStages } from '../lookup.js';
import { collectionName, docOption, intOption, type Handler } from './context.js';
import { checkHint } from './refusals.js';

/** Only the simple (binary) collation gets this far (refusals.ts): comparison as without one. */
function collation(_cmd: Doc): Collation {
  return undefined;
}

const find: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, 'find');
  const ns = `${ctx.db}.${name}`;
  const coll = ctx.catalog.get(ctx.db, name);
  let limit = intOption(cmd, 'limit');
  let singleBatch = cmd.singleBatch === true;
  if (limit !== undefined && limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const filter = docOption(cmd, 'filter');
  checkHint(coll, cmd.hint);
  const matched = coll ? coll.find(filter, collation(cmd)) : [];
  const docs = shape(matched, {
    filter,
    sort: docOption(cmd, 'sort'),
    skip: intOption(cmd, 'skip'),
    limit,
    projection: docOption(cmd, 'projection'),
    collation: collation(cmd),
  });
  return ctx.cursors.firstBatch(ns, docs, intOption(cmd, 'batchSize'), singleBatch);
};

const getMore: Handler = (cmd, ctx) => {
  const id = cmd.getMore;
  if (typeof id !== 'number') throw badValue('getMore requires a cursor id');
  return ctx.cursors.getMore(id, `${ctx.db}.${collectionName(cmd, 'collection')}`, intOption(cmd, 'batchSize'));
};

const killCursors: Handler = (cmd, ctx) => {
  const ids = Array.isArray(cmd.cursors) ? cmd.cursors.filter((id): id is number => typeof id === 'number') : [];
  const { killed, notFound } = ctx.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: Handler = (cmd, ctx) => {
  const coll = ctx.catalog.get(ctx.db, collectionName(cmd, 'count'));
  checkHint(coll, cmd.hint);
  const matched = coll ? coll.find(docOption(cmd, 'query'), collation(cmd)) : [];
  const skip = Math.max(0, intOption(cmd, 'skip') ?? 0);
  const limit = Math.abs(intOption(cmd, 'limit') ?? 0);
  const n = Math.max(0, matched.length - skip);
  return { n: limit ? Math.min(limit, n) : n, ok: 1 };
};

const distinct: Handler = (cmd, ctx) => {
  const key = cmd.key;
  if (typeof key !== 'string') throw badValue("'key' must be a string");
  const coll = ctx.catalog.get(ctx.db, collectionName(cmd, 'distinct'));
  const seen = new Map<string, unknown>();
  for (const doc of coll ? coll.find(docOption(cmd, 'query'), collation(cmd)) : []) {
    const value = getPath(doc, key);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && !seen.has(valueKey(item))) seen.set(valueKey(item), item);
    }
  }
  return { values: [...seen.values()], ok: 1 };
};

const REFUSED_STAGES = new Set(['$out', '$merge', '$changeStream', '$collStats', '$indexStats', '$currentOp', '$listSessions', '$planCacheStats']);

const aggregate: Handler = (cmd, ctx) => {
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' must be an array");
  for (const stage of pipeline as Doc[]) {
    const stageName = Object.keys(stage)[0] ?? '';
    if (REFUSED_STAGES.has(stageName)) throw notImplemented(`${stageName} is not supported by the embedded store`);
  }
  if (cmd.explain) throw notImplemented('explain is not supported by the embedded store');
  const onCollection = typeof cmd.aggregate === 'string';
  const ns = onCollection ? `${ctx.db}.${cmd.aggregate as string}` : `${ctx.db}.$cmd.aggregate`;
  const coll = onCollection ? ctx.catalog.get(ctx.db, cmd.aggregate as string) : undefined;
  checkHint(coll, cmd.hint);
  const [first, ...rest] = pipeline as Doc[];
  const leadingMatch = first && '$match' in first ? (first.$match as Doc) : undefined;
  const source = coll ? coll.find(leadingMatch, collation(cmd)) : [];
  const stages = leadingMatch ? rest : (pipeline as Doc[]);
  const resolve = (other: string) => ctx.catalog.get(ctx.db, other)?.find() ?? [];
  const findIn = (other: string, filter: Doc) => ctx.catalog.get(ctx.db, other)?.find(filter) ?? [];
  const docs = stages.length ? runStages(source, stages, collation(cmd), resolve, findIn) : source;
  const cursor = docOption(cmd, 'cursor');
  return ctx.cursors.firstBatch(ns, docs, cursor ? intOption(cursor, 'batchSize') : undefined);
};

export const readCommands: Record<string, Handler> = { find, getMore, killCursors, count, distinct, aggregate };
