// findAccount for oidc-provider: the identity by `sub`, as a member of the practice THIS
// authorization entered, and its claims by scope. The practice comes from:
//   - a token (code, access or refresh token): the practice its grant entered (practice_entries,
//     src/oidc/practice-grant.ts). A grant without an entry (issued before memberships) counts only
//     while the person has exactly one active membership;
//   - an authorization request: the request's decision (src/oidc/practice-choice.ts); while it is
//     not decided yet (the chooser is still to come) any active membership keeps the account.
// A membership not `active` in that practice yields no account: no tokens, no refresh, no userinfo.
// The scope → claim map lives in provider.ts (`claims`); here we only produce the values.
import type { Account, ClaimsParameterMember, FindAccount, KoaContextWithOIDC } from 'oidc-provider';
import type { Types } from 'mongoose';
import type { Identity, Membership, Practice } from '../store/models/index.js';
import type { RequestReads, RequestReadsFor } from './request-reads.js';
import type { PracticeFor } from './practice-choice.js';
import { fhirUserClaim } from '../smart/fhir-user.js';

interface GrantBound { grantId?: string }

export function createFindAccount(readsFor: RequestReadsFor, practiceFor: PracticeFor): FindAccount {
  return async (ctx, sub, token): Promise<Account | undefined> => {
    // Read once per request: the mfa prompt and the session check of the same request share it.
    const reads = readsFor(ctx);
    const user = await reads.user(sub);
    if (!user) return undefined;
    const membership = await membershipFor(ctx, reads, practiceFor, user, (token as GrantBound | undefined)?.grantId);
    if (!membership) return undefined;
    return {
      accountId: user.sub,
      // The practice is one more store round trip: read only when the `practice` claim can be
      // released (profile scope, or asked for by name), not for every ID token of a code exchange.
      claims: async (_use, scope, claims) => ({
        sub: user.sub,
        email: user.email,
        email_verified: user.emailVerified,
        name: user.name,
        ...(wantsPractice(scope, claims) ? { practice: await practiceClaim(reads, membership.practiceId) } : {}),
        roles: [membership.role],
        ...(user.fhirUser ? { fhirUser: fhirUserClaim(ctx, user.fhirUser) } : {}),
      }),
    };
  };
}

/** The active membership this request or token answers for, or undefined. */
export async function membershipFor(
  ctx: KoaContextWithOIDC, reads: RequestReads, practiceFor: PracticeFor, user: Identity, grantId: string | undefined,
): Promise<Membership | undefined> {
  const active = await reads.activeMemberships(user._id);
  if (grantId) {
    const entry = await reads.entry(grantId);
    // A grant not bound to a practice answers for none (the start-up migration bound those from
    // before memberships to the practice they were issued in).
    if (!entry) return undefined;
    return active.find((membership) => membership.practiceId.equals(entry.practiceId));
  }
  const { decision } = await practiceFor(ctx, user.sub);
  if (decision.kind === 'entered') return decision.membership;
  return decision.kind === 'choose' ? active[0] : undefined;
}

function wantsPractice(scope: string | undefined, claims: Record<string, ClaimsParameterMember | null> | undefined): boolean {
  return scope === undefined || scope.split(' ').includes('profile') || (claims !== undefined && 'practice' in claims);
}

async function practiceClaim(reads: RequestReads, practiceId: Types.ObjectId): Promise<{ id: string; name: string } | null> {
  const practice: Practice | null = await reads.practice(practiceId);
  return practice ? { id: String(practice._id), name: practice.name } : null;
}
