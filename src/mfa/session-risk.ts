// The one question every surface asks about a browser session that is already signed in: does this
// request need a (new) second factor under the practice's rules, now? The mfa prompt asks it for
// every authorization request riding on the session (SSO to any module, step-up); the console gate
// asks it for every /account and /admin page. One function, so no surface asks a weaker question
// (such as "is there an account id") than the modules get.
import { ACR_MFA, ACR_PHR } from './risk/acr.js';
import { appRequestFrom, type AuthorizationParams } from './app-request.js';
import type { RiskDecision, SessionLevel } from './risk/index.js';
import type { AssessSignIn, SignInContext } from './sign-in-risk.js';

export interface SessionRiskQuestion {
  user: SignInContext['user'];
  /** The provider session as it stands: its acr and the time of its last factor. */
  session: { accountId?: string; acr?: string; loginTs?: number };
  /** What the app (or the console page) asks for: acr_values, claims, max_age, prompt. */
  params: AuthorizationParams;
  deviceId?: string;
  ip?: string;
  readPractice?: SignInContext['readPractice'];
}

export async function assessSession(assessSignIn: AssessSignIn, question: SessionRiskQuestion): Promise<RiskDecision> {
  const { user, session, params, deviceId, ip, readPractice } = question;
  const { decision } = await assessSignIn({
    user,
    ...(deviceId ? { deviceId } : {}),
    ...(ip ? { ip } : {}),
    request: appRequestFrom(params),
    session: sessionLevel(session),
    ...(readPractice ? { readPractice } : {}),
  });
  return decision;
}

/** The level the browser session holds now: MFA counts from the time of its last factor. */
export function sessionLevel(session: { accountId?: string; acr?: string; loginTs?: number }): SessionLevel {
  if (!session.accountId) return { level: 'none' };
  if ((session.acr === ACR_MFA || session.acr === ACR_PHR) && session.loginTs) return { level: 'multi-factor', secondFactorAt: session.loginTs * 1000 };
  return { level: 'single-factor' };
}
