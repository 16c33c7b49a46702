// A login check: a session signed in with a passkey alone (no `pwd` in its amr) entering a practice
// that does not allow passwordless sign-in must sign in with the password. A person in several
// practices may sign in passwordless for one that allows it and then choose, or switch a module to,
// one that does not: that practice's rule still holds (the same way a practice's MFA rules hold on
// a switch, src/oidc/mfa-prompt.ts). For prompt=none the answer is `login_required`.
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { resolvePasskeyPolicy } from '../mfa/factors/passkey-policy.js';
import { AMR } from '../mfa/risk/acr.js';
import type { PracticeFor } from './practice-choice.js';
import type { RequestReadsFor } from './request-reads.js';

export const PASSWORD_REQUIRED_CHECK = 'practice_requires_password';

export function passwordRequiredCheck(readsFor: RequestReadsFor, practiceFor: PracticeFor): InstanceType<typeof interactionPolicy.Check> {
  const { Check } = interactionPolicy;
  return new Check(PASSWORD_REQUIRED_CHECK, 'the practice entered does not allow passwordless sign-in', 'login_required', async (ctx: KoaContextWithOIDC) => {
    const { session, result } = ctx.oidc;
    const accountId = session?.accountId;
    if (!accountId) return Check.NO_NEED_TO_PROMPT; // no_session asks for the sign-in
    const amr = result?.login?.amr ?? session.amr;
    if (!Array.isArray(amr) || amr.includes(AMR.password)) return Check.NO_NEED_TO_PROMPT;
    const { decision } = await practiceFor(ctx, accountId);
    if (decision.kind !== 'entered') return Check.NO_NEED_TO_PROMPT; // the chooser comes first
    const practice = await readsFor(ctx).practice(decision.membership.practiceId);
    return resolvePasskeyPolicy(practice?.passkeyPolicy).passwordlessAllowed ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
  });
}
