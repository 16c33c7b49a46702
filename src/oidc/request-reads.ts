// Reads shared within one provider request. An authorization request asks for the same user and
// practice in findAccount, the session time-out check and the mfa prompt; each is read once per
// request (keyed on the request's context, so nothing outlives it: the next request reads the store
// again and an admin's change applies at once).
//
// A code exchange reads the code and then, one by one, its grant, its session, the session's
// activity record and practice, the user and the SMART launch. `codeWithRelated` reads them all in
// one command with the code (read-ahead.ts) and keeps them here, so the later reads of the same
// request find them without a round trip. A record written by the request is forgotten (`forget`),
// so a later read of it goes to the store again.
import type { Collection } from 'mongodb';
import type { Types } from 'mongoose';
import type { Client, Membership, Models, OidcRecord, Practice, PracticeEntry, User } from '../store/models/index.js';
import type { SessionActivity } from '../store/models/session-activity.js';
import type { SmartLaunch } from '../store/models/smart-launch.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import Provider from 'oidc-provider';
import { readWithRelated, type RelatedReads } from './read-ahead.js';

/** Our own interaction pages run in this scope (their koa context), as provider requests run in oidc-provider's. */
const pageScope = new AsyncLocalStorage<object>();

/** Koa middleware: the reads of this request (through the adapter too) are shared within it. */
export const sharedReadsScope = (ctx: object, next: () => Promise<unknown>) => pageScope.run(ctx, next);

/** The request being served: a provider request, one of our interaction pages, or none. */
export const currentRequest = (): object | undefined => Provider.ctx ?? pageScope.getStore();

export interface RequestReads {
  /** The user by `sub`, or null. */
  user(sub: string): Promise<User | null>;
  /** The practice by id, or null. */
  practice(id: Types.ObjectId): Promise<Practice | null>;
  /** An oidc record by `_id` (`<kind>:<id>`), or null. */
  record(key: string): Promise<OidcRecord | null>;
  /** The provider session record with this uid, or null. */
  sessionByUid(uid: string): Promise<OidcRecord | null>;
  /** A registered client by id, or null. */
  client(id: string): Promise<Client | null>;
  /** A session's activity record by the session's uid, or null. */
  activity(sessionUid: string): Promise<SessionActivity | null>;
  /** The SMART launch an authorization code was issued for, or null. */
  launchForCode(codeId: string): Promise<SmartLaunch | null>;
  /** An authorization code or interaction record, reading with it what the request reads next (one command). */
  recordWithRelated(key: string): Promise<OidcRecord | null>;
  /** The request wrote this oidc record: a later read goes to the store. */
  forget(key: string): void;
  /** The request deleted oidc records it cannot name (a grant's): later reads go to the store. */
  forgetRecords(): void;
  /** The request holds this oidc record to write later (write-behind.ts): a read of it finds it. */
  remember(record: OidcRecord): void;
  /** Does any practice allow passwordless sign-in? (The sign-in page knows no practice yet.) */
  passwordlessOffered(): Promise<boolean>;
  /** The identity's active memberships, oldest first. */
  activeMemberships(userId: Types.ObjectId): Promise<Membership[]>;
  /** The practice a grant entered (src/oidc/practice-grant.ts), or null. */
  entry(grantId: string): Promise<PracticeEntry | null>;
}

export type RequestReadsFor = (ctx: object | undefined) => RequestReads;

// One memo per request, whoever asks (the provider's hooks, the adapter, our pages).
const perRequest = new WeakMap<object, Map<string, Promise<unknown>>>();

/** The current request's shared reads (none outside a request). */
export const currentReads = (models: Models): RequestReads => createRequestReads(models)(currentRequest());

export function createRequestReads(models: Models): RequestReadsFor {
  // Driver reads, not mongoose queries: these run on every authorize and token request.
  const users = models.User.collection as unknown as Collection<User>;
  const practices = models.Practice.collection as unknown as Collection<Practice>;
  const records = models.OidcRecord.collection as unknown as Collection<OidcRecord>;
  const clients = models.Client.collection as unknown as Collection<Client>;
  const activities = models.SessionActivity.collection as unknown as Collection<SessionActivity>;
  const launches = models.SmartLaunch.collection as unknown as Collection<SmartLaunch>;
  const names = {
    clients: clients.collectionName,
    users: users.collectionName, practices: practices.collectionName, activities: activities.collectionName, launches: launches.collectionName,
    entries: models.PracticeEntry.collection.collectionName, memberships: models.Membership.collection.collectionName,
  };
  const memberships = models.Membership.collection as unknown as Collection<Membership>;
  const entries = models.PracticeEntry.collection as unknown as Collection<PracticeEntry>;
  return (ctx) => {
    let memo = ctx ? perRequest.get(ctx) : undefined;
    if (ctx && !memo) perRequest.set(ctx, (memo = new Map()));
    const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
      if (!memo) return read();
      let pending = memo.get(key) as Promise<T> | undefined;
      if (!pending) {
        pending = read();
        memo.set(key, pending);
        // A failed read is not remembered: a later step of the request may try again.
        pending.catch(() => memo!.delete(key));
      }
      return pending;
    };
    const keep = (key: string, value: unknown) => memo?.set(key, Promise.resolve(value));
    const keepRelated = (related: RelatedReads) => {
      if (related.client) keep(`client:${related.client.id}`, related.client.record);
      if (related.grant) keep(`record:${related.grant.key}`, related.grant.record);
      if (related.session) keep(`session-uid:${related.session.uid}`, related.session.record);
      if (related.activity) keep(`activity:${related.activity.sessionUid}`, related.activity.record);
      for (const practice of related.practices) keep(`practice:${practice._id.toHexString()}`, practice);
      if (related.entry) keep(`entry:${related.entry.grantId}`, related.entry.record);
      if (related.user) keep(`user:${related.user.sub}`, related.user.record);
      if (related.passwordlessOffered !== undefined) keep('passwordless-offered', related.passwordlessOffered);
      if (related.memberships) keep(`memberships:${related.memberships.userId.toHexString()}`, related.memberships.records);
      if (related.record?.kind === 'AuthorizationCode') keep(`launch-code:${related.codeId}`, related.launch);
    };
    return {
      user: (sub) => once(`user:${sub}`, () => users.findOne({ sub })),
      practice: (id) => once(`practice:${id.toHexString()}`, () => practices.findOne({ _id: id })),
      record: (key) => once(`record:${key}`, () => records.findOne({ _id: key })),
      sessionByUid: (uid) => once(`session-uid:${uid}`, () => records.findOne({ kind: 'Session', uid })),
      client: (id) => once(`client:${id}`, () => clients.findOne({ _id: id })),
      activity: (sessionUid) => once(`activity:${sessionUid}`, () => activities.findOne({ _id: sessionUid })),
      launchForCode: (codeId) => once(`launch-code:${codeId}`, () => launches.findOne({ codeId })),
      recordWithRelated: (key) => once(`record:${key}`, async () => {
        const related = await readWithRelated(records, names, key);
        keepRelated(related);
        return related.record;
      }),
      forgetRecords: () => {
        for (const name of [...(memo?.keys() ?? [])]) if (name.startsWith('record:') || name.startsWith('session-uid:')) memo!.delete(name);
      },
      remember: (record) => void keep(`record:${record._id}`, record),
      forget: (key) => {
        memo?.delete(`record:${key}`);
        // A session is also found by uid: drop those too (the uid of a written session is unknown here).
        if (key.startsWith('Session:')) for (const name of [...(memo?.keys() ?? [])]) if (name.startsWith('session-uid:')) memo!.delete(name);
      },
      passwordlessOffered: () => once('passwordless-offered', async () => Boolean(await practices.findOne({ 'passkeyPolicy.passwordlessAllowed': true }, { projection: { _id: 1 } }))),
      activeMemberships: (userId) => once(`memberships:${userId.toHexString()}`, () => memberships.find({ userId, status: 'active' }).sort({ createdAt: 1, _id: 1 }).toArray()),
      entry: (grantId) => once(`entry:${grantId}`, () => entries.findOne({ _id: grantId })),
    };
  };
}
