// A practice's passkey switches (pure): whether its users may sign in with a passkey alone
// (passwordless: a discoverable credential with user verification), and who must sign in with a
// passkey or security key at all ("phishing-resistant required": nobody, its admins, everyone).
// Absent on a practice: passwordless off, required for nobody.
import type { UserRole } from '../../store/models/user.js';

export const PHR_REQUIRED_FOR = ['nobody', 'admins', 'everyone'] as const;
export type PhrRequiredFor = (typeof PHR_REQUIRED_FOR)[number];

export interface PasskeyPolicy {
  passwordlessAllowed: boolean;
  phishingResistantRequired: PhrRequiredFor;
}

export const DEFAULT_PASSKEY_POLICY: Readonly<PasskeyPolicy> = Object.freeze({ passwordlessAllowed: false, phishingResistantRequired: 'nobody' });

export function resolvePasskeyPolicy(stored: Partial<PasskeyPolicy> | null | undefined): PasskeyPolicy {
  return {
    passwordlessAllowed: stored?.passwordlessAllowed === true,
    phishingResistantRequired: isPhrRequiredFor(stored?.phishingResistantRequired) ? stored.phishingResistantRequired : 'nobody',
  };
}

export function isPhrRequiredFor(value: unknown): value is PhrRequiredFor {
  return typeof value === 'string' && (PHR_REQUIRED_FOR as readonly string[]).includes(value);
}

/** Must a user of this role sign in with a passkey or security key? */
export function phrRequiredForRole(policy: PasskeyPolicy, role: UserRole | string): boolean {
  return policy.phishingResistantRequired === 'everyone' || (policy.phishingResistantRequired === 'admins' && role === 'admin');
}
