// Reads shared within one provider request. An authorization request asks for the same user and
// practice in findAccount, the session time-out check and the mfa prompt; each is read once per
// request (keyed on the request's context, so nothing outlives it: the next request reads the store
// again and an admin's change applies at once).
import type { Collection } from 'mongodb';
import type { Types } from 'mongoose';
import type { Membership, Models, Practice, PracticeEntry, User } from '../store/models/index.js';

export interface RequestReads {
  /** The user by `sub`, or null. */
  user(sub: string): Promise<User | null>;
  /** The practice by id, or null. */
  practice(id: Types.ObjectId): Promise<Practice | null>;
  /** The identity's active memberships, oldest first. */
  activeMemberships(userId: Types.ObjectId): Promise<Membership[]>;
  /** The practice a grant entered (src/oidc/practice-grant.ts), or null. */
  entry(grantId: string): Promise<PracticeEntry | null>;
}

export type RequestReadsFor = (ctx: object | undefined) => RequestReads;

export function createRequestReads(models: Models): RequestReadsFor {
  // Driver reads, not mongoose queries: these run on every authorize and token request.
  const users = models.User.collection as unknown as Collection<User>;
  const practices = models.Practice.collection as unknown as Collection<Practice>;
  const memberships = models.Membership.collection as unknown as Collection<Membership>;
  const entries = models.PracticeEntry.collection as unknown as Collection<PracticeEntry>;
  const perRequest = new WeakMap<object, Map<string, Promise<unknown>>>();

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
    return {
      user: (sub) => once(`user:${sub}`, () => users.findOne({ sub })),
      practice: (id) => once(`practice:${id.toHexString()}`, () => practices.findOne({ _id: id })),
      activeMemberships: (userId) => once(`memberships:${userId.toHexString()}`, () => memberships.find({ userId, status: 'active' }).sort({ createdAt: 1, _id: 1 }).toArray()),
      entry: (grantId) => once(`entry:${grantId}`, () => entries.findOne({ _id: grantId })),
    };
  };
}
