/**
 * findAndModify: pick the first match (by `sort`), then remove it, update it or upsert, and
 * return the before or after image (`new`) projected by `fields`. Errors such as a duplicate
 * key are top-level command errors here, as in mongod.
 */
import { sameBson, type Doc } from '../bson-util.js';
import { failedToParse } from '../errors.js';
import { shape, type Collation } from '../query.js';
import { applyUpdate, buildUpsert, validateUpdate } from '../updates.js';
import { collectionName, docOption, type Handler } from './context.js';
import { checkHint } from './refusals.js';

const findAndModify: Handler = (cmd, ctx) => {
  const name = collectionName(cmd, Object.keys(cmd)[0] as string);
  const query = docOption(cmd, 'query');
  const sort = docOption(cmd, 'sort');
  const fields = docOption(cmd, 'fields');
  // Only the simple (binary) collation gets this far (refusals.ts).
  const collation: Collation = undefined;
  const remove = cmd.remove === true;
  const update = cmd.update as Doc | Doc[] | undefined;
  if (remove === (update !== undefined)) {
    throw failedToParse(remove ? 'Cannot specify both an update and remove=true' : 'Either an update or remove=true must be specified');
  }
  if (remove && (cmd.new === true || cmd.upsert === true)) {
    throw failedToParse('Cannot specify both new=true and remove=true; or upsert=true and remove=true');
  }
  if (update !== undefined) validateUpdate(update);
  const project = (doc: Doc | undefined): Doc | null =>
    (doc && fields ? shape([doc], { projection: fields, filter: query })[0] : doc) ?? null;

  const coll = ctx.catalog.get(ctx.db, name);
  checkHint(coll, cmd.hint);
  const matches = coll ? coll.find(query, collation) : [];
  const target = sort && matches.length > 1 ? shape(matches, { sort, limit: 1, collation })[0] : matches[0];

  if (remove) {
    if (coll && target) coll.remove(target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: project(target), ok: 1 };
  }
  const options = { filter: query, now: ctx.now(), arrayFilters: cmd.arrayFilters as Doc[] | undefined, collation };
  if (coll && target) {
    const next = applyUpdate(target, update as Doc | Doc[], options);
    const stored = sameBson(target, next) ? target : coll.replace(target, next);
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: project(cmd.new === true ? stored : target), ok: 1 };
  }
  if (cmd.upsert !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const doc = buildUpsert(update as Doc | Doc[], options);
  const stored = ctx.catalog.obtain(ctx.db, name).insert(doc);
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
    value: cmd.new === true ? project(stored) : null,
    ok: 1,
  };
};

export const findAndModifyCommands: Record<string, Handler> = { findAndModify, findandmodify: findAndModify };
