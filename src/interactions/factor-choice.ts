// Which second factors the code page offers this user: those they hold that their practice allows
// (src/mfa/factors/registry.ts), their default first. A user who holds none of the allowed ones yet
// (a practice that allows only authenticator apps, a user who has not enrolled one) gets the emailed
// code, which every user has: without it they could never sign in to enrol one.
import type { AuthorizationParams } from '../mfa/app-request.js';
import type { FactorUser, SecondFactor, TypedFactor } from '../mfa/factors/factor.js';
import { phrRequired } from '../mfa/factors/phr.js';
import { resolveFactorPolicy } from '../mfa/factors/policy.js';
import type { InteractionDeps } from './context.js';

export interface FactorChoice {
  usable: SecondFactor[];
  /** The sent-code channels usable, in the user's order. */
  channels: ('email' | 'sms')[];
  /** The app demands the phishing-resistant level: only a passkey or security key is offered or checked. */
  phr: boolean;
}

export async function factorChoice(deps: Pick<InteractionDeps, 'models' | 'mfa'>, user: FactorUser, params: AuthorizationParams = {}): Promise<FactorChoice> {
  const practice = await deps.models.Practice.findById(user.practiceId, { factorPolicy: 1 }).lean();
  const found = await deps.mfa.factors.registry.usableBy(user, resolveFactorPolicy(practice?.factorPolicy));
  if (phrRequired(params)) return { usable: found.filter((factor) => factor.family === 'ceremony'), channels: [], phr: true };
  const usable = found.some((factor) => factor.name !== 'recovery') ? found : [deps.mfa.factors.registry.get('email'), ...found];
  const channels = usable.filter((factor) => factor.family === 'sent').map((factor) => factor.name as 'email' | 'sms');
  return { usable, channels, phr: false };
}

/** The typed factor named `name`, when this user may use it now. */
export function typedFactorNamed(choice: FactorChoice, name: unknown): TypedFactor | undefined {
  const found = choice.usable.find((factor) => factor.name === name);
  return found?.family === 'typed' ? found : undefined;
}
