// Does this request force a fresh authentication, so the session's earlier factors do not count?
// `prompt=login` always does; `max_age` does when the last second factor is older than it (the
// same "older than" test oidc-provider applies to auth_time: equal is still fresh). The fresh sign-in
// then follows the policy like any login: a code when the app asked for MFA or the policy demands it.
import type { RiskSignals } from '../types.js';

export function freshSignInForced({ request, session, now }: RiskSignals): boolean {
  if (request.promptLogin) return true;
  if (request.maxAgeSeconds === undefined || session.level !== 'multi-factor') return false;
  return now - session.secondFactorAt > request.maxAgeSeconds * 1000;
}
