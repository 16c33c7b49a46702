// Reads shared within one provider request. An authorization request asks for the same user and
// practice in findAccount, the session time-out check and the mfa prompt; each is read once per
// request (keyed on the request's context, so nothing outlives it: the next request reads the store
// again and an admin's change applies at once).
import type { Collection } from 'mongodb';
import type { Types } from 'mongoose';
import type { Models, Practice, User } from '../store/models/index.js';

export interface RequestReads {
  /** The user by `sub`, or null. */
  user(sub: string): Promise<User | null>;
  /** The practice by id, or null. */
  practice(id: Types.ObjectId): Promise<Practice | null>;
}

export type RequestReadsFor = (ctx: object | undefined) => RequestReads;

export function createRequestReads(models: Models): RequestReadsFor {
  // Driver reads, not mongoose queries: these run on every authorize and token request.
  const users = models.User.collection as unknown as Collection<User>;
  const practices = models.Practice.collection as unknown as Collection<Practice>;
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
    };
  };
}
