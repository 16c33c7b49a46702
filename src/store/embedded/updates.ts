/**
 * Update semantics on one document: operator updates (via mingo, plus the `$setOnInsert` mingo
 * lacks), replacements and pipeline updates; `_id` immutability (code 66); and the upsert
 * document built from the filter's equality fields, as mongod builds it.
 */
import { ObjectId } from 'bson';
import { update as mingoUpdate, Aggregator } from 'mingo';
import { cloneDoc, idFirst, setPath, valueKey, type Doc } from './bson-util.js';
import { StoreError, badValue, failedToParse, immutableField } from './errors.js';
import { translate, type Collation } from './query.js';
import { applySimpleUpdate } from './fast-paths.js';
import { checkOperandTypes, expandCurrentDate } from './update-operands.js';

export interface UpdateOptions {
  filter?: Doc;
  /** The store clock, for $currentDate. */
  now: number;
  arrayFilters?: Doc[];
  collation?: Collation;
}

const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

function isOperatorUpdate(u: Doc): boolean {
  const first = Object.keys(u)[0];
  return first?.startsWith('$') === true;
}

function isOperatorObject(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof RegExp) return false;
  const first = Object.keys(value)[0];
  return first?.startsWith('$') === true;
}

const UPDATE_OPERATORS = new Set([
  '$set', '$unset', '$setOnInsert', '$inc', '$mul', '$min', '$max', '$rename', '$currentDate',
  '$push', '$addToSet', '$pop', '$pull', '$pullAll', '$bit',
]);

/** Refuses unknown update operators up front, even when nothing matches (as mongod does). */
export function validateUpdate(u: unknown): void {
  if (!u || typeof u !== 'object') throw failedToParse('update must be a document or a pipeline');
  if (Array.isArray(u)) {
    for (const stage of u as Doc[]) {
      const name = Object.keys(stage ?? {})[0] ?? '';
      if (!PIPELINE_STAGES.has(name)) throw badValue(`${name} is not allowed to be used within an update`);
    }
    return;
  }
  if (!isOperatorUpdate(u as Doc)) return;
  for (const [name, args] of Object.entries(u as Doc)) {
    if (!UPDATE_OPERATORS.has(name)) {
      throw failedToParse(`Unknown modifier: ${name}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!args || typeof args !== 'object' || Array.isArray(args)) {
      throw failedToParse(`Modifiers operate on fields but we found type ${Array.isArray(args) ? 'array' : typeof args} instead. For example: {$mod: {<field>: ...}} not {${name}: ${String(args)}}`);
    }
  }
}

/**
 * mingo refuses any `$set` of `_id`; mongod allows setting it to its current value, and on an
 * upsert to any value. Handle that here and leave mingo the rest.
 */
function liftIdAssignment(doc: Doc, ops: Doc): void {
  const set = ops.$set as Doc | undefined;
  if (!set || !('_id' in set)) return;
  const { _id: id, ...others } = set;
  if (doc._id === undefined) doc._id = id;
  else if (valueKey(id) !== valueKey(doc._id)) {
    throw immutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  if (Object.keys(others).length) ops.$set = others;
  else delete ops.$set;
}

function runOperators(doc: Doc, u: Doc, isInsert: boolean, options: UpdateOptions): void {
  validateUpdate(u);
  const { $setOnInsert, ...ops } = u;
  if (isInsert && $setOnInsert && typeof $setOnInsert === 'object') {
    const set = { ...((ops.$set as Doc | undefined) ?? {}) };
    for (const [path, value] of Object.entries($setOnInsert as Doc)) {
      if (path in set) throw new StoreError(40, 'ConflictingUpdateOperators', `Updating the path '${path}' would create a conflict at '${path}'`);
      set[path] = value;
    }
    ops.$set = set;
  }
  expandCurrentDate(ops, options.now);
  liftIdAssignment(doc, ops);
  checkOperandTypes(doc, ops);
  if (!Object.keys(ops).length) return;
  if (applySimpleUpdate(doc, ops)) return;
  translate('update', () => {
    try {
      // The filter serves positional `$` paths; an upsert's new document need not match it.
      mingoUpdate(doc, ops, options.arrayFilters, isInsert ? undefined : options.filter, { queryOptions: { collation: options.collation, scriptEnabled: false } });
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      const unknown = /Unknown update operator: '?(\$\w+)/i.exec(message);
      if (unknown) throw failedToParse(`Unknown modifier: ${unknown[1]}. Expected a valid update modifier or pipeline-style update specified as an array`);
      if (/immutable field '_id'/.test(message)) {
        throw immutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
      }
      if (/conflict/i.test(message)) throw new StoreError(40, 'ConflictingUpdateOperators', message.replace(/^u/, 'U'));
      throw err;
    }
  });
}

function runPipelineUpdate(doc: Doc, pipeline: Doc[], options: UpdateOptions): Doc {
  validateUpdate(pipeline);
  const [result] = translate('update', () => new Aggregator(pipeline, { collation: options.collation, scriptEnabled: false }).run<Doc>([doc]));
  if (!result) throw badValue('update pipeline produced no document');
  return result;
}

/** The updated version of `current` (a fresh object); throws on unsupported or illegal updates. */
export function applyUpdate(current: Doc, u: Doc | Doc[], options: UpdateOptions, isInsert = false): Doc {
  let next: Doc;
  if (Array.isArray(u)) {
    next = runPipelineUpdate(cloneDoc(current), u, options);
  } else if (isOperatorUpdate(u)) {
    next = cloneDoc(current);
    runOperators(next, u, isInsert, options);
  } else {
    next = idFirst(u, '_id' in u ? u._id : current._id);
  }
  if (isInsert) return next;
  if (next._id === undefined || valueKey(next._id) !== valueKey(current._id)) {
    throw immutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return next;
}

/** The equality fields of a filter, as an upsert's starting document. */
export function equalityFields(filter: Doc | undefined, out: Doc = {}): Doc {
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) equalityFields(clause as Doc, out);
    } else if (key.startsWith('$') || value instanceof RegExp) {
    } else if (isOperatorObject(value)) {
      if ('$eq' in value) setPath(out, key, value.$eq);
    } else {
      setPath(out, key, value);
    }
  }
  return out;
}

/** The document an upsert inserts: filter equality fields + update (`$setOnInsert` included). */
export function buildUpsert(u: Doc | Doc[], options: UpdateOptions): Doc {
  const base = equalityFields(options.filter);
  let doc: Doc;
  if (!Array.isArray(u) && !isOperatorUpdate(u)) {
    doc = { ...u };
    if (doc._id === undefined && base._id !== undefined) doc._id = base._id;
  } else {
    doc = applyUpdate(base, u, options, true);
  }
  return idFirst(doc, doc._id === undefined ? new ObjectId() : doc._id);
}
