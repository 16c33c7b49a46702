// A grant saved on the way to an authorization code (the first-party grant made on the spot, or
// the one a consent extends) is written together with the code, in one command: the grant first,
// then the code, ordered, so no client can hold a code whose grant is not stored. Only in the
// authorization and resume requests, where the code follows; if it does not (an error, a page
// instead of a code), the grant is written when the request ends, before the answer leaves. Any
// other write, delete or query of the provider's records in the request writes it first, and a
// read of it in the same request finds it (request-reads.ts), so nothing observes it missing.
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import Provider from 'oidc-provider';
import type { OidcRecord, OidcRecordModel } from '../store/models/oidc-record.js';

const DEFERRING_ROUTES = new Set(['authorization', 'resume']);
const pending = new WeakMap<object, OidcRecord[]>();

const upsertOf = (record: OidcRecord): AnyBulkWriteOperation<OidcRecord> => ({
  replaceOne: { filter: { _id: record._id }, replacement: record, upsert: true },
});

/** Holds a grant for the next write of this provider request; false when it must be written now. */
export function deferGrant(record: OidcRecord): boolean {
  const ctx = Provider.ctx;
  if (!ctx || !DEFERRING_ROUTES.has(ctx.oidc?.route ?? '')) return false;
  const list = pending.get(ctx) ?? [];
  pending.set(ctx, [...list.filter((held) => held._id !== record._id), record]);
  return true;
}

/** Writes what this request holds, then `record` if given, in one ordered command. */
export async function writeHeld(records: Collection<OidcRecord>, record?: OidcRecord, ctx: object | undefined = Provider.ctx): Promise<void> {
  const held = ctx ? pending.get(ctx) ?? [] : [];
  if (ctx && held.length) pending.delete(ctx);
  const list = [...held, ...(record ? [record] : [])];
  if (list.length === 1) await records.replaceOne({ _id: list[0]!._id }, list[0]!, { upsert: true });
  else if (list.length > 1) await records.bulkWrite(list.map(upsertOf), { ordered: true });
}

/** Writes what a request still holds when it ends (before the answer is sent). */
export function installWriteBehind(provider: Provider, model: OidcRecordModel): void {
  const records = model.collection as unknown as Collection<OidcRecord>;
  provider.use(async (ctx, next) => {
    try {
      await next();
    } finally {
      await writeHeld(records, undefined, ctx);
    }
  });
}
