// Which second factors the code page offers this user: those they hold that their practice allows
// (src/mfa/factors/registry.ts), their default first. A user who holds none of the allowed ones yet
// (a practice that allows only authenticator apps, a user who has not enrolled one) gets the emailed
// code, which every user has: without it they could never sign in to enrol one.
//
// Only a passkey or security key is offered or checked when the app demands the phishing-resistant
// level, or when the user's practice requires it of them ("phishing-resistant required" for admins
// or everyone: src/mfa/factors/passkey-policy.ts). A user the practice requires it of who holds none
// yet is offered their other factors, but proving one only lets them register a passkey within
// this sign-in, and then sign in with it (src/interactions/passkey-enrolment.ts).
import { holdsPasskey, phrRequiredOfPractice } from '../accounts/passkey-policy.js';
import type { AuthorizationParams } from '../mfa/app-request.js';
import type { FactorUser, SecondFactor, TypedFactor } from '../mfa/factors/factor.js';
import { phrRequired } from '../mfa/factors/phr.js';
import { resolveFactorPolicy, type FactorPolicy } from '../mfa/factors/policy.js';
import type { InteractionDeps } from './context.js';

export interface FactorChoice {
  usable: SecondFactor[];
  /** The sent-code channels usable, in the user's order. */
  channels: ('email' | 'sms')[];
  /** Only a passkey or security key is offered or checked (the app demands it, or the practice requires it and the user holds one). */
  phr: boolean;
  /** The practice requires a passkey of this user and they hold none: a proven factor only leads to registering one. */
  enrolPasskey: boolean;
}

type ChoiceUser = FactorUser & { role?: string };

export async function factorChoice(deps: Pick<InteractionDeps, 'models' | 'mfa'>, user: ChoiceUser, params: AuthorizationParams = {}): Promise<FactorChoice> {
  // One read of the practice for both policies (src/accounts/passkey-policy.ts reads the switches).
  const practice = await deps.models.Practice.findById(user.practiceId, { factorPolicy: 1, passkeyPolicy: 1 }).lean();
  const demanded = phrRequiredOfPractice(practice, { role: user.role ?? '' });
  const policy = resolveFactorPolicy(practice?.factorPolicy);
  // Required passkeys are allowed passkeys, whatever the factor list says.
  const allowed: FactorPolicy = demanded && !policy.allowed.includes('webauthn') ? { allowed: [...policy.allowed, 'webauthn'] } : policy;
  const found = await deps.mfa.factors.registry.usableBy(user, allowed);
  const enrolPasskey = demanded && !(await holdsPasskey(deps.models, user._id));
  if ((phrRequired(params) || demanded) && !enrolPasskey) return { usable: found.filter((factor) => factor.family === 'ceremony'), channels: [], phr: true, enrolPasskey };
  const usable = found.some((factor) => factor.name !== 'recovery') ? found : [deps.mfa.factors.registry.get('email'), ...found];
  const channels = usable.filter((factor) => factor.family === 'sent').map((factor) => factor.name as 'email' | 'sms');
  return { usable, channels, phr: false, enrolPasskey };
}

/** The typed factor named `name`, when this user may use it now. */
export function typedFactorNamed(choice: FactorChoice, name: unknown): TypedFactor | undefined {
  const found = choice.usable.find((factor) => factor.name === name);
  return found?.family === 'typed' ? found : undefined;
}
