// An authorization request writes its records in one command. On the way to a code it saves a
// grant (the first-party grant made on the spot, or the one a consent extends), ends the interaction
// it resumes, saves the code and the session (and ends the session's old identifier after a new
// sign-in): all are held and written together when the request ends, before the answer leaves, in
// that order (ordered: no client can hold a code whose grant is not stored). Only in the
// authorization and resume requests; if no code follows (an error, a page instead), what is held is
// written all the same. Any other write, delete or query of the provider's records in the request
// writes what is held first, and a read of a held record in the same request finds it
// (request-reads.ts), so nothing observes a record missing or a destroyed one present.
//
// A destroyed record is held as one that expired at once (`ended`), not a delete: a delete cannot
// ride in the same command as the writes, and every read checks expiry itself (adapter.ts), so it
// answers "not found" from that moment; the expiry sweep removes it.
//
// An interaction is resumed once. The resume reads it and ends it only at the request's end, so two
// resumes sent at once (the same cookies twice) both read it live; the end is therefore written
// only over a live interaction, first in the command: the later of two finds it ended, its upsert
// collides on the _id, and the ordered command stops before its grant, code and session. That
// request fails (no code leaves); one sign-in gives one code. Likewise a session's old identifier,
// ended by a new sign-in, is not saved live again by a request that read it before (`guarded`).
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import Provider from 'oidc-provider';
import { appError } from '../errors.js';
import { isDuplicateKey } from '../store/duplicate-key.js';
import type { OidcRecord, OidcRecordModel } from '../store/models/oidc-record.js';

const DEFERRING_ROUTES = new Set(['authorization', 'resume']);
/** What an authorization request writes; anything else is written at once, with these before it. */
const HELD_KINDS = new Set(['Grant', 'Interaction', 'AuthorizationCode', 'Session']);
const pending = new WeakMap<object, OidcRecord[]>();

const ENDED_PAYLOAD = '{}';
const endsInteraction = (record: OidcRecord) => record.kind === 'Interaction' && record.payload === ENDED_PAYLOAD;
/**
 * Written only over a live record (over an ended one the upsert collides on the _id): an
 * interaction, ended or saved (a second end, or a page saving one a resume ended), and a session
 * saved live (a request that read the session before a new sign-in ended its old identifier, e.g. a
 * silent sign-in in another tab, would bring that identifier back). Two ends of one session's old
 * identifier (two tabs resuming at once) both stand. Anything else by _id alone.
 */
const guarded = (record: OidcRecord) => record.kind === 'Interaction' || (record.kind === 'Session' && record.payload !== ENDED_PAYLOAD);
const filterOf = (record: OidcRecord) => (guarded(record) ? { _id: record._id, payload: { $ne: ENDED_PAYLOAD } } : { _id: record._id });

const upsertOf = (record: OidcRecord): AnyBulkWriteOperation<OidcRecord> => ({
  replaceOne: { filter: filterOf(record), replacement: record, upsert: true },
});

/** The record a destroyed one leaves until the sweep: expired, holding nothing (no uid: never found by one). */
export const ended = (key: string, kind: string, at: Date): OidcRecord => ({ _id: key, kind, payload: ENDED_PAYLOAD, expiresAt: at });

/** Holds a record for the next write of this provider request; false when it must be written now. */
export function hold(record: OidcRecord): boolean {
  const ctx = Provider.ctx;
  if (!ctx || !HELD_KINDS.has(record.kind) || !DEFERRING_ROUTES.has(ctx.oidc?.route ?? '')) return false;
  const list = pending.get(ctx) ?? [];
  pending.set(ctx, [...list.filter((held) => held._id !== record._id), record]);
  return true;
}

/** Writes what this request holds, then `record` if given, in one ordered command. */
export async function writeHeld(records: Collection<OidcRecord>, record?: OidcRecord, ctx: object | undefined = Provider.ctx): Promise<void> {
  const held = ctx ? pending.get(ctx) ?? [] : [];
  if (ctx && held.length) pending.delete(ctx);
  const kept = [...held.filter((one) => one._id !== record?._id), ...(record ? [record] : [])];
  // The interaction's end goes first: a replayed resume stops there, before anything else is written.
  const list = [...kept.filter(endsInteraction), ...kept.filter((one) => !endsInteraction(one))];
  try {
    if (list.length === 1) await records.replaceOne(filterOf(list[0]!), list[0]!, { upsert: true });
    else if (list.length > 1) await records.bulkWrite(list.map(upsertOf), { ordered: true });
  } catch (error) {
    // A guarded record was ended meanwhile (a resume replayed, a page of an ended sign-in, an old
    // session identifier): the person is told to start again, as for any used sign-in page.
    if (isDuplicateKey(error)) throw appError('interaction_expired', { detail: 'a record this request writes was ended meanwhile', cause: error });
    throw error;
  }
}

/** Writes what a request still holds when it ends (before the answer is sent). */
export function installWriteBehind(provider: Provider, model: OidcRecordModel): void {
  const records = model.collection as unknown as Collection<OidcRecord>;
  provider.use(async (ctx, next) => {
    try {
      await next();
    } finally {
      await writeHeld(records, undefined, ctx).catch((error: unknown) => {
        // Nothing of the answer leaves: its redirect (a code) and cookies (a new session id) name
        // records that were not written; the error page replaces it (the browser keeps its cookies).
        ctx.remove('Location');
        ctx.remove('Set-Cookie');
        throw error;
      });
    }
  });
}
