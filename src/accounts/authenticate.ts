// Password check for the login step. Unknown user, inactive user, no password and wrong password
// all cost one argon2 verification and return the same `null` to the caller's UI; the reason is
// kept for the audit log only.
import type { Models, User } from '../store/models/index.js';
import { normalizeEmail } from './email.js';
import type { PasswordHasher } from './password.js';

export type AuthenticationFailure = 'unknown_user' | 'inactive_user' | 'no_password' | 'wrong_password';

export type AuthenticationResult =
  | { ok: true; user: User; rehashed: boolean }
  | { ok: false; reason: AuthenticationFailure; user?: User };

export async function authenticatePassword(
  deps: { models: Models; hasher: PasswordHasher },
  email: string,
  password: string,
): Promise<AuthenticationResult> {
  const { models, hasher } = deps;
  // A plain read (lean): the sign-in only reads the user; the one write below is an update by id.
  const user = await models.User.findOne({ email: normalizeEmail(email) }).lean();
  if (!user?.passwordHash || !user.active) {
    await hasher.verifyDummy(password);
    const reason = !user ? 'unknown_user' : !user.active ? 'inactive_user' : 'no_password';
    return user ? { ok: false, reason, user } : { ok: false, reason };
  }
  if (!(await hasher.verify(user.passwordHash, password))) return { ok: false, reason: 'wrong_password', user };

  // Parameters rose since this hash was made: re-hash now, while we hold the plaintext.
  const rehashed = hasher.needsRehash(user.passwordHash);
  if (rehashed) {
    const passwordHash = await hasher.hash(password);
    await models.User.updateOne({ _id: user._id, passwordHash: user.passwordHash }, { $set: { passwordHash } });
  }
  return { ok: true, user, rehashed };
}
