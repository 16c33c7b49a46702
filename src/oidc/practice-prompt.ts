// The `select_account` prompt, after `login` and before `mfa`: an SSO request riding on an existing
// session whose practice is not decided (several active memberships, no hint, no registered
// practice, or `prompt=select_account`) shows the practice chooser (src/interactions/practice.ts).
// A new sign-in chooses within the login prompt itself, before its second-factor decision.
// Requestable: `prompt=select_account` asks for it by name; `prompt=none` gets
// `account_selection_required`. An app registered to a practice the person is not an active
// member of ends with `access_denied`.
import { errors, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { PracticeFor } from './practice-choice.js';

const { Prompt, Check } = interactionPolicy;

export function practicePrompt(practiceFor: PracticeFor): InstanceType<typeof Prompt> {
  const check = new Check('practice_required', 'the practice to enter must be chosen', 'account_selection_required', async (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId) return Check.NO_NEED_TO_PROMPT; // the login prompt comes first
    const { decision } = await practiceFor(ctx, accountId);
    if (decision.kind === 'client_refused') throw new errors.AccessDenied('this app belongs to a practice the user is not a member of');
    return decision.kind === 'choose' ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
  });
  return new Prompt({ name: 'select_account', requestable: true }, check);
}
