/**
 * The store's only door to mingo: filters, projections, sorts and pipelines. Scripts ($where,
 * $function, $accumulator) are disabled. mingo's "unknown operator" failures become mongod-style
 * errors that name the operator, so nothing unsupported ever degrades into a wrong answer.
 */
import { Aggregator, ProcessingMode, Query } from 'mingo';
import type { Options } from 'mingo/types';
import { StoreError, badValue } from './errors.js';
import { cloneDoc, idFirst, type Doc } from './bson-util.js';

export type Collation = Options['collation'];

function options(extra: { collation?: Collation; resolve?: (name: string) => Doc[]; clone?: boolean } = {}): Partial<Options> {
  return {
    idKey: '_id',
    scriptEnabled: false,
    useStrictMode: true,
    collation: extra.collation,
    collectionResolver: extra.resolve,
    processingMode: extra.clone ? ProcessingMode.CLONE_INPUT : ProcessingMode.CLONE_OFF,
  };
}

/** Runs a mingo call, translating its exceptions into StoreErrors. */
export function translate<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StoreError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (/unknown (query )?operator|unregistered|not supported|requires 'scriptEnabled'/i.test(message)) {
      throw badValue(`${what}: ${message}`);
    }
    throw new StoreError(2, 'BadValue', `${what}: ${message}`);
  }
}

/** mingo's projections move `_id` last; mongod keeps it first. */
function keepIdFirst(doc: Doc): Doc {
  return '_id' in doc ? idFirst(doc) : doc;
}

export interface Matcher {
  test(doc: Doc): boolean;
}

const MATCH_ALL: Matcher = { test: () => true };

export function compileFilter(filter: unknown, collation?: Collation): Matcher {
  if (filter === undefined || filter === null) return MATCH_ALL;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw badValue('filter must be an object');
  if (Object.keys(filter).length === 0) return MATCH_ALL;
  const query = translate('filter', () => new Query(filter as Doc, options({ collation })));
  return { test: (doc) => translate('filter', () => query.test(doc)) };
}

export interface ReadShape {
  sort?: Doc;
  skip?: number;
  limit?: number;
  projection?: Doc;
  collation?: Collation;
  /** The filter, for positional ($) projections. */
  filter?: Doc;
}

/** Sort, skip, limit and project already-matched documents. */
export function shape(docs: Doc[], spec: ReadShape): Doc[] {
  return translate('find', () => {
    // {$natural: ±1} is insertion order (what `docs` already is), or its reverse.
    const { $natural: natural, ...sort } = spec.sort ?? {};
    let cursor = new Query({}, options({ collation: spec.collation })).find<Doc>(natural === -1 ? [...docs].reverse() : docs);
    if (Object.keys(sort).length) cursor = cursor.sort(sort as Record<string, 1 | -1>);
    if (spec.skip) cursor = cursor.skip(spec.skip);
    if (spec.limit) cursor = cursor.limit(spec.limit);
    const results = cursor.all();
    const projection = spec.projection && Object.keys(spec.projection).length ? spec.projection : undefined;
    if (!projection) return results;
    // mingo may project in place: give it copies, never the stored documents.
    // The filter is only needed again for positional (`field.$`) projections.
    const positional = Object.keys(projection).some((k) => k.endsWith('.$'));
    const query = new Query(positional ? (spec.filter ?? {}) : {}, options({ collation: spec.collation }));
    return query.find<Doc>(results.map((doc) => cloneDoc(doc)), projection).all().map(keepIdFirst);
  });
}

/** Stages that never modify their input documents, so no defensive copy is needed. */
const NON_MUTATING = new Set(['$match', '$sort', '$skip', '$limit', '$count', '$group', '$sortByCount']);

/** mingo's $count yields `{ n: 0 }` for no input where mongod yields nothing: use $group instead. */
function rewriteCount(pipeline: Doc[]): Doc[] {
  return pipeline.flatMap((stage) =>
    typeof stage.$count === 'string' && Object.keys(stage).length === 1
      ? [{ $group: { _id: null, [stage.$count]: { $sum: 1 } } }, { $project: { _id: 0 } }]
      : [stage]);
}

export function runPipeline(docs: Doc[], stages: Doc[], collation?: Collation, resolve?: (name: string) => Doc[]): Doc[] {
  const pipeline = rewriteCount(stages);
  const clone = !stages.every((stage) => NON_MUTATING.has(Object.keys(stage)[0] ?? ''));
  return translate('aggregate', () => new Aggregator(pipeline, options({ collation, resolve, clone })).run<Doc>(docs)).map(keepIdFirst);
}
