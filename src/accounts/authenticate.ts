// Password check for the login step. Unknown user, inactive user (no active membership in any
// practice), no password and wrong password all cost one argon2 verification and return the same
// failure to the caller's UI; the reason is kept for the audit log only. A success carries the
// person's active memberships: the practice being entered is chosen among them.
import type { Membership, Models, User } from '../store/models/index.js';
import { normalizeEmail } from './email.js';
import type { PasswordHasher } from './password.js';

export type AuthenticationFailure = 'unknown_user' | 'inactive_user' | 'no_password' | 'wrong_password';

export type AuthenticationResult =
  | { ok: true; user: User; rehashed: boolean; memberships: Membership[] }
  | { ok: false; reason: AuthenticationFailure; user?: User };

export async function authenticatePassword(
  deps: { models: Models; hasher: PasswordHasher },
  email: string,
  password: string,
): Promise<AuthenticationResult> {
  const { models, hasher } = deps;
  // A plain read (lean): the sign-in only reads the user; the one write below is an update by id.
  const user = await models.User.findOne({ email: normalizeEmail(email) }).lean();
  const memberships = user ? await models.Membership.find({ userId: user._id, status: 'active' }).sort({ createdAt: 1, _id: 1 }).lean() : [];
  if (!user?.passwordHash || memberships.length === 0) {
    await hasher.verifyDummy(password);
    const reason = !user ? 'unknown_user' : memberships.length === 0 ? 'inactive_user' : 'no_password';
    return user ? { ok: false, reason, user } : { ok: false, reason };
  }
  if (!(await hasher.verify(user.passwordHash, password))) return { ok: false, reason: 'wrong_password', user };

  // Parameters rose since this hash was made: re-hash now, while we hold the plaintext.
  const rehashed = hasher.needsRehash(user.passwordHash);
  if (rehashed) {
    const passwordHash = await hasher.hash(password);
    await models.User.updateOne({ _id: user._id, passwordHash: user.passwordHash }, { $set: { passwordHash } });
  }
  return { ok: true, user, rehashed, memberships };
}
