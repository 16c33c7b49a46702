// The practice a new sign-in enters, decided from the request (practice-choice.ts): the app's own
// practice, `practice_hint`, `prompt=select_account` and the person's default, among their active
// memberships. The password step and the passwordless passkey step decide alike.
import { clientPractice, decidePractice, PRACTICE_HINT, stringParam, type PracticeDecision } from '../oidc/practice-choice.js';
import type { Membership, User } from '../store/models/index.js';
import type { InteractionDeps, InteractionDetails } from './context.js';

export async function practiceForSignIn(deps: Pick<InteractionDeps, 'provider'>, details: InteractionDetails, identity: Pick<User, 'defaultPracticeId'>, active: readonly Membership[]): Promise<PracticeDecision> {
  return decidePractice({
    active,
    clientPracticeId: clientPractice(await deps.provider().Client.find(String(details.params.client_id))),
    hint: stringParam(details.params[PRACTICE_HINT]),
    selectAccount: String(details.params.prompt ?? '').split(' ').includes('select_account'),
    defaultPractice: identity.defaultPracticeId ? String(identity.defaultPracticeId) : undefined,
  });
}
