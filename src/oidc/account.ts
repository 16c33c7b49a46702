// findAccount for oidc-provider: reads the user by `sub` and releases claims by scope. The
// scope → claim map lives in provider.ts (`claims`); here we only produce the values.
import type { Account, ClaimsParameterMember, FindAccount } from 'oidc-provider';
import type { User } from '../store/models/index.js';
import type { RequestReads, RequestReadsFor } from './request-reads.js';
import { fhirUserClaim } from '../smart/fhir-user.js';

export function createFindAccount(readsFor: RequestReadsFor): FindAccount {
  return async (ctx, sub): Promise<Account | undefined> => {
    // Read once per request: the mfa prompt and the session check of the same request share it.
    const reads = readsFor(ctx);
    const user = await reads.user(sub);
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
        ...(wantsPractice(scope, claims) ? { practice: await practiceClaim(reads, user) } : {}),
        roles: [user.role],
        ...(user.fhirUser ? { fhirUser: fhirUserClaim(ctx, user.fhirUser) } : {}),
      }),
    };
  };
}

function wantsPractice(scope: string | undefined, claims: Record<string, ClaimsParameterMember | null> | undefined): boolean {
  return scope === undefined || scope.split(' ').includes('profile') || (claims !== undefined && 'practice' in claims);
}

async function practiceClaim(reads: RequestReads, user: User): Promise<{ id: string; name: string } | null> {
  const practice = await reads.practice(user.practiceId);
  return practice ? { id: String(practice._id), name: practice.name } : null;
}
