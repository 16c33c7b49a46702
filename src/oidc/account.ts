// findAccount for oidc-provider: reads the user by `sub` and releases claims by scope. The
// scope → claim map lives in provider.ts (`claims`); here we only produce the values.
import type { Account, FindAccount } from 'oidc-provider';
import type { Collection } from 'mongodb';
import type { Models, Practice, User } from '../store/models/index.js';

export function createFindAccount(models: Models): FindAccount {
  return async (_ctx, sub): Promise<Account | undefined> => {
    // Driver reads, not mongoose queries: this runs on every authorize and token request.
    const user = await (models.User.collection as unknown as Collection<User>).findOne({ sub });
    // An account deactivated after sign-in no longer yields tokens or userinfo.
    if (!user?.active) return undefined;
    const practice = await (models.Practice.collection as unknown as Collection<Practice>).findOne({ _id: user.practiceId });
    return {
      accountId: user.sub,
      claims: () => ({
        sub: user.sub,
        email: user.email,
        email_verified: user.emailVerified,
        name: user.name,
        practice: practice ? { id: String(practice._id), name: practice.name } : null,
        roles: [user.role],
      }),
    };
  };
}
