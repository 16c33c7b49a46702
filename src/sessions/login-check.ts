// A check of the `login` prompt (like oidc-provider's own max_age check): a session that was idle
// too long or outlived its absolute lifetime asks for a full sign-in again, with the password and
// then whatever the risk rules demand. Every authorization request served from the session counts
// as activity. On the resume after the login step, the sign-in it just completed restarts the
// clocks; the resume after the code step (prompt `mfa`) is only activity.
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { ActivityReads, SessionActivityTracker } from './activity.js';
import type { SessionState } from './timeout.js';

const { Check } = interactionPolicy;

export const SESSION_TIMEOUT_CHECK = 'session_timeout';

/** `readsFor` gives the request's shared reads (user, practice), so this check adds no repeat read. */
export function sessionTimeoutCheck(activity: SessionActivityTracker, readsFor: (ctx: object) => ActivityReads = () => ({})): InstanceType<typeof Check> {
  const states = new WeakMap<object, SessionState>();
  // `login_required` for prompt=none (OIDC Core §3.1.2.6: the user must sign in again), not the
  // generic interaction_required a custom check gets by default.
  return new Check(SESSION_TIMEOUT_CHECK, 'the session timed out: End-User authentication is required', 'login_required', async (ctx: KoaContextWithOIDC) => {
    const { session, result, entities } = ctx.oidc;
    const reads = readsFor(ctx);
    if (!session?.accountId) return Check.NO_NEED_TO_PROMPT; // no_session asks for the sign-in
    if (result?.login) {
      if (entities.Interaction?.prompt.name === 'login') await activity.signedIn(session.uid, session.accountId, reads);
      else await activity.touch(session.uid, reads);
      return Check.NO_NEED_TO_PROMPT;
    }
    const state = await activity.use(session.uid, session.accountId, reads);
    states.set(ctx, state);
    return state === 'active' ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
  }, (ctx: KoaContextWithOIDC) => ({ session: states.get(ctx) }));
}
