/**
 * Write commands: insert, update, delete. Each statement runs synchronously; per-statement
 * failures (duplicate key, immutable _id, bad operator…) become `writeErrors` with `ok: 1`;
 * `ordered` (the default) stops at the first failure, `ordered: false` carries on.
 */
import { ObjectId } from 'bson';
import { sameBson, type Doc } from '../bson-util.js';
import { StoreError, badValue, failedToParse } from '../errors.js';
import { applyUpdate, buildUpsert, validateUpdate } from '../updates.js';
import { collectionName, type CommandContext, type Handler } from './context.js';
import { checkHint, checkStatements } from './refusals.js';

type Outcome = { n: number; nModified?: number; upserted?: unknown };

/** Runs every statement, collecting write errors the way mongod reports them. */
function runStatements(cmd: Doc, field: string, run: (stmt: Doc) => Outcome): Doc {
  const statements = cmd[field];
  if (!Array.isArray(statements)) throw badValue(`'${field}' must be an array`);
  const ordered = cmd.ordered !== false;
  const writeErrors: Doc[] = [];
  const upserted: Doc[] = [];
  let n = 0;
  let nModified = 0;
  statements.forEach((stmt, index) => {
    if (ordered && writeErrors.length) return;
    try {
      const outcome = run(stmt as Doc);
      n += outcome.n;
      nModified += outcome.nModified ?? 0;
      if (outcome.upserted !== undefined) upserted.push({ index, _id: outcome.upserted });
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      writeErrors.push(err.toWriteError(index));
    }
  });
  const reply: Doc = { n };
  if (field === 'updates') reply.nModified = nModified;
  if (upserted.length) reply.upserted = upserted;
  if (writeErrors.length) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
}

const insert: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, 'insert');
  return runStatements(cmd, 'documents', (doc) => {
    const coll = ctx.catalog.obtain(ctx.db, name);
    coll.insert(doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc);
    return { n: 1 };
  });
};

function updateOne(stmt: Doc, name: string, ctx: CommandContext): Outcome {
  const { q, u, multi, upsert, arrayFilters, hint } = stmt;
  validateUpdate(u);
  const update = u as Doc | Doc[];
  const isReplacement = !Array.isArray(update) && !(Object.keys(update)[0] ?? '').startsWith('$');
  if (multi && isReplacement && Object.keys(update).length) {
    throw failedToParse('multi update is not supported for replacement-style update');
  }
  const options = { filter: q as Doc, now: ctx.now(), arrayFilters: arrayFilters as Doc[] | undefined };
  const coll = ctx.catalog.get(ctx.db, name);
  checkHint(coll, hint);
  let matches = coll ? coll.find(q as Doc) : [];
  if (!multi) matches = matches.slice(0, 1);
  if (coll && matches.length) {
    let nModified = 0;
    for (const doc of matches) {
      const next = applyUpdate(doc, update, options);
      if (!sameBson(doc, next)) {
        coll.replace(doc, next);
        nModified++;
      }
    }
    return { n: matches.length, nModified };
  }
  if (!upsert) return { n: 0 };
  const doc = buildUpsert(update, options);
  ctx.catalog.obtain(ctx.db, name).insert(doc);
  return { n: 1, upserted: doc._id };
}

const update: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, 'update');
  checkStatements('update', cmd.updates);
  return runStatements(cmd, 'updates', (stmt) => updateOne(stmt, name, ctx));
};

const remove: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, 'delete');
  checkStatements('delete', cmd.deletes);
  return runStatements(cmd, 'deletes', ({ q, limit, hint }) => {
    if (limit !== 0 && limit !== 1) throw failedToParse(`The limit field in delete objects must be 0 or 1. Got ${String(limit)}`);
    const coll = ctx.catalog.get(ctx.db, name);
    if (!coll) return { n: 0 };
    checkHint(coll, hint);
    const matches = coll.find(q as Doc);
    const targets = limit === 1 ? matches.slice(0, 1) : matches;
    for (const doc of targets) coll.remove(doc);
    return { n: targets.length };
  });
};

export const writeCommands: Record<string, Handler> = { insert, update, delete: remove };
