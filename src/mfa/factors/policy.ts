// A practice's factor policy: which second factors its users may use. Email is what every user
// has, so a practice that forbids it must keep another factor allowed (the account pages then refuse
// to remove a user's last allowed factor). Recovery codes are a backup of the authenticator app and
// follow it. Absent on a practice: every factor allowed.
import type { FactorName, PolicyFactor } from './factor.js';
import { POLICY_FACTORS } from './factor.js';

export interface FactorPolicy {
  allowed: PolicyFactor[];
}

export const DEFAULT_FACTOR_POLICY: FactorPolicy = Object.freeze({ allowed: [...POLICY_FACTORS] }) as FactorPolicy;

export function resolveFactorPolicy(stored: Partial<FactorPolicy> | null | undefined): FactorPolicy {
  const allowed = (stored?.allowed ?? []).filter((name): name is PolicyFactor => (POLICY_FACTORS as readonly string[]).includes(name));
  return allowed.length ? { allowed } : DEFAULT_FACTOR_POLICY;
}

export function factorAllowed(policy: FactorPolicy, name: FactorName): boolean {
  if (name === 'recovery') return policy.allowed.includes('totp') || policy.allowed.includes('webauthn');
  return policy.allowed.includes(name);
}

/** Parses the admin form's / CLI's list; undefined when it names nothing we know or nothing at all. */
export function parseAllowedFactors(names: readonly string[]): PolicyFactor[] | undefined {
  const allowed = POLICY_FACTORS.filter((name) => names.includes(name));
  return allowed.length && names.every((name) => (POLICY_FACTORS as readonly string[]).includes(name)) ? allowed : undefined;
}
