// findAccount for oidc-provider: reads the user by `sub` and releases claims by scope. The
// scope → claim map lives in provider.ts (`claims`); here we only produce the values.
import type { Account, ClaimsParameterMember, FindAccount } from 'oidc-provider';
import type { Collection } from 'mongodb';
import type { Models, Practice, User } from '../store/models/index.js';

export function createFindAccount(models: Models): FindAccount {
  const users = models.User.collection as unknown as Collection<User>;
  const practices = models.Practice.collection as unknown as Collection<Practice>;
  return async (_ctx, sub): Promise<Account | undefined> => {
    // Driver reads, not mongoose queries: this runs on every authorize and token request.
    const user = await users.findOne({ sub });
    // An account deactivated after sign-in no longer yields tokens or userinfo.
    if (!user?.active) return undefined;
    return {
      accountId: user.sub,
      // The practice is one more store round trip: read only when the `practice` claim can be
      // released (profile scope, or asked for by name), not for every ID token of a code exchange.
      claims: async (_use, scope, claims) => ({
        sub: user.sub,
        email: user.email,
        email_verified: user.emailVerified,
        name: user.name,
        ...(wantsPractice(scope, claims) ? { practice: await practiceClaim(practices, user) } : {}),
        roles: [user.role],
      }),
    };
  };
}

function wantsPractice(scope: string | undefined, claims: Record<string, ClaimsParameterMember | null> | undefined): boolean {
  return scope === undefined || scope.split(' ').includes('profile') || (claims !== undefined && 'practice' in claims);
}

async function practiceClaim(practices: Collection<Practice>, user: User): Promise<{ id: string; name: string } | null> {
  const practice = await practices.findOne({ _id: user.practiceId });
  return practice ? { id: String(practice._id), name: practice.name } : null;
}
