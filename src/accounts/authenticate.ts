// Password check for the login step. Unknown user, inactive user (no active membership in any
// practice), no password and wrong password all cost one argon2 verification and return the same
// failure to the caller's UI; the reason is kept for the audit log only. A success carries the
// person's active memberships: the practice being entered is chosen among them.
import type { Collection } from 'mongodb';
import type { Membership, Models, User } from '../store/models/index.js';
import { normalizeEmail } from './email.js';
import type { PasswordHasher } from './password.js';

export type AuthenticationFailure = 'unknown_user' | 'inactive_user' | 'no_password' | 'wrong_password';

export type AuthenticationResult =
  | { ok: true; user: User; rehashed: boolean; memberships: Membership[]; home: Membership }
  | { ok: false; reason: AuthenticationFailure; user?: User; home?: Membership };

/** Oldest first, the order every reader of memberships uses. */
const byAge = (a: Membership, b: Membership) => a.createdAt.getTime() - b.createdAt.getTime() || a._id.toHexString().localeCompare(b._id.toHexString());
const STATUS_ORDER: Record<string, number> = { active: 0, deactivated: 1, invited: 2 };

export async function authenticatePassword(
  deps: { models: Models; hasher: PasswordHasher },
  email: string,
  password: string,
): Promise<AuthenticationResult> {
  const { models, hasher } = deps;
  // One read: the identity with every membership (an aggregate on the driver, as plain as lean).
  const [found] = await (models.User.collection as unknown as Collection<User>).aggregate<User & { _memberships: Membership[] }>([
    { $match: { email: normalizeEmail(email) } },
    { $limit: 1 },
    { $lookup: { from: models.Membership.collection.collectionName, localField: '_id', foreignField: 'userId', as: '_memberships' } },
  ]).toArray();
  const { _memberships: all = [], ...user } = found ?? {};
  const memberships = all.filter((membership) => membership.status === 'active').sort(byAge);
  // Where a failure is logged before any practice is entered: the oldest active membership, else the oldest.
  const home = [...all].sort((a, b) => (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3) || byAge(a, b))[0];
  const identity = found ? (user as User) : undefined;
  const failed = (reason: AuthenticationFailure): AuthenticationResult => ({ ok: false, reason, ...(identity ? { user: identity } : {}), ...(home ? { home } : {}) });
  if (!identity?.passwordHash || memberships.length === 0) {
    await hasher.verifyDummy(password);
    return failed(!identity ? 'unknown_user' : memberships.length === 0 ? 'inactive_user' : 'no_password');
  }
  if (!(await hasher.verify(identity.passwordHash, password))) return failed('wrong_password');

  // Parameters rose since this hash was made: re-hash now, while we hold the plaintext.
  const rehashed = hasher.needsRehash(identity.passwordHash);
  if (rehashed) {
    const passwordHash = await hasher.hash(password);
    await models.User.updateOne({ _id: identity._id, passwordHash: identity.passwordHash }, { $set: { passwordHash } });
  }
  return { ok: true, user: identity, rehashed, memberships, home: memberships[0]! };
}
