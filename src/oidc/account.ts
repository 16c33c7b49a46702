// findAccount for oidc-provider: reads the user by `sub` and releases claims by scope. The
// scope → claim map lives in provider.ts (`claims`); here we only produce the values.
import type { Account, FindAccount } from 'oidc-provider';
import type { Models } from '../store/models/index.js';

export function createFindAccount(models: Models): FindAccount {
  return async (_ctx, sub): Promise<Account | undefined> => {
    const user = await models.User.findOne({ sub }).lean();
    // An account deactivated after sign-in no longer yields tokens or userinfo.
    if (!user?.active) return undefined;
    const practice = await models.Practice.findById(user.practiceId).lean();
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
