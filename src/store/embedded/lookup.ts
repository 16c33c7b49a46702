/**
 * `$lookup` through the foreign collection's `_id` and indexes: mingo's own `$lookup` scans the
 * whole foreign collection for every input document, which at 100k users turns a one-record
 * read-ahead into a full scan. Two shapes are taken here: `localField`/`foreignField` (optionally
 * with a `pipeline` on the matched documents, MongoDB 5.0's concise form) when every local value
 * is a plain lookup value, and an uncorrelated `pipeline` (no local field). A leading `$match` of
 * plain top-level equalities in the pipeline joins the lookup's filter, so a compound index
 * (`{kind, uid}`) serves it. Anything else (a missing local field, which mongod matches against
 * null and missing fields, arrays of documents as keys, `let`, a dotted `as`, a collation) goes to
 * mingo's own stage, so the answer never differs.
 */
import { getPath, isLookupValue, type Doc } from './bson-util.js';
import { runPipeline, type Collation } from './query.js';

interface IndexedLookup {
  from: string;
  /** Absent for an uncorrelated lookup (pipeline only). */
  localField?: string;
  foreignField?: string;
  as: string;
  /** Plain equalities every joined document satisfies (the pipeline's leading `$match`). */
  match: Doc;
  /** The rest of the pipeline. */
  pipeline: Doc[];
}

/** The pipeline's leading `$match` when it is made of plain top-level equalities only. */
function leadingEqualities(pipeline: Doc[]): { match: Doc; rest: Doc[] } {
  const first = pipeline[0];
  const match = first && Object.keys(first).length === 1 ? (first.$match as Doc | undefined) : undefined;
  const plain = match && typeof match === 'object' && Object.keys(match).length > 0
    && Object.entries(match).every(([key, value]) => !key.startsWith('$') && !key.includes('.') && isLookupValue(value));
  return plain ? { match: match!, rest: pipeline.slice(1) } : { match: {}, rest: pipeline };
}

/** Finds the documents of collection `name` matching an equality filter (index-narrowed). */
export type FindIn = (name: string, filter: Doc) => Doc[];

function indexedLookup(stage: Doc): IndexedLookup | undefined {
  const spec = stage.$lookup as Doc | undefined;
  if (!spec || Object.keys(stage).length !== 1 || typeof spec !== 'object') return undefined;
  const { from, localField, foreignField, as, pipeline, ...rest } = spec;
  if (Object.keys(rest).length) return undefined;
  if (typeof from !== 'string' || typeof as !== 'string' || !as || as.includes('.') || as.startsWith('$')) return undefined;
  if (pipeline !== undefined && !Array.isArray(pipeline)) return undefined;
  const { match, rest: stages } = leadingEqualities((pipeline as Doc[] | undefined) ?? []);
  if (localField === undefined && foreignField === undefined) {
    // Uncorrelated: only worth taking here when the filter narrows through an index.
    return Object.keys(match).length ? { from, as, match, pipeline: stages } : undefined;
  }
  if (typeof localField !== 'string' || typeof foreignField !== 'string' || foreignField in match) return undefined;
  return { from, localField, foreignField, as, match, pipeline: stages };
}

function localValues(doc: Doc, path: string): unknown[] | undefined {
  const value = getPath(doc, path);
  const values = Array.isArray(value) ? value : [value];
  return values.length && values.every(isLookupValue) ? values : undefined;
}

function applyLookup(docs: Doc[], spec: IndexedLookup, findIn: FindIn, collation: Collation, resolve: (name: string) => Doc[]): Doc[] | undefined {
  const finish = (matched: Doc[]) => (spec.pipeline.length ? runPipeline(matched, spec.pipeline, collation, resolve) : matched);
  const { localField, foreignField } = spec;
  if (localField === undefined || foreignField === undefined) {
    const joined = finish(findIn(spec.from, spec.match));
    return docs.map((doc) => ({ ...doc, [spec.as]: joined }));
  }
  const keys = docs.map((doc) => localValues(doc, localField));
  if (keys.some((values) => values === undefined)) return undefined;
  return docs.map((doc, i) => {
    const matched = new Set<Doc>();
    for (const value of keys[i]!) for (const found of findIn(spec.from, { ...spec.match, [foreignField]: value })) matched.add(found);
    return { ...doc, [spec.as]: finish([...matched]) };
  });
}

/** Runs `stages` on `docs`, taking each indexable `$lookup` here and the rest through mingo. */
export function runStages(docs: Doc[], stages: Doc[], collation: Collation, resolve: (name: string) => Doc[], findIn: FindIn): Doc[] {
  let current = docs;
  let pending: Doc[] = [];
  for (const stage of stages) {
    const spec = collation ? undefined : indexedLookup(stage);
    if (spec) {
      if (pending.length) current = runPipeline(current, pending, collation, resolve);
      pending = [];
      const joined = applyLookup(current, spec, findIn, collation, resolve);
      if (joined) {
        current = joined;
        continue;
      }
    }
    pending.push(stage);
  }
  return pending.length ? runPipeline(current, pending, collation, resolve) : current;
}
