// One interface for every second factor (the way Kratos has one strategy per method): the sign-in
// page, the policy and the account pages ask the registry (registry.ts) which factors a user can
// use, and each factor lives in its own folder. Two families:
//   - `sent`: a code we send (email, SMS: src/mfa/service.ts issues and checks it);
//   - `typed`: a secret the user holds and types (authenticator app, recovery code): the factor
//     checks it itself, and the sign-in step counts every failure toward the lockout;
//   - `ceremony`: a passkey or security key (WebAuthn): the page runs the browser's ceremony and
//     posts its answer (src/interactions/webauthn-step.ts). The only phishing-resistant family.
import type { Types } from 'mongoose';

/** Every second factor, in the order "Try another way" offers them. */
export const FACTOR_NAMES = ['webauthn', 'totp', 'sms', 'email', 'recovery'] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];

/** What a practice can allow or forbid (recovery codes follow the authenticator app). */
export const POLICY_FACTORS = ['email', 'sms', 'totp', 'webauthn'] as const;
export type PolicyFactor = (typeof POLICY_FACTORS)[number];

export interface FactorUser {
  _id: Types.ObjectId;
  sub: string;
  practiceId: Types.ObjectId;
  email: string;
  phone?: string | null;
  mfaChannel?: 'email' | 'sms' | null;
  defaultFactor?: FactorName | null;
}

export type TypedOutcome = 'ok' | 'wrong' | 'replayed' | 'malformed';

interface FactorBase {
  name: FactorName;
  /** What "Try another way" calls it. */
  label: string;
  /** RFC 8176 method references it adds to `pwd` (without `mfa`, which the sign-in adds). */
  amr: readonly string[];
  /** Does the user hold this factor (enrolled, or a phone on file)? */
  usable(user: FactorUser): Promise<boolean>;
}

export interface SentFactor extends FactorBase {
  family: 'sent';
}

export interface TypedFactor extends FactorBase {
  family: 'typed';
  /** The input field: its label, autocomplete and size. */
  input: { label: string; autocomplete: string; inputmode: 'numeric' | 'text'; maxlength: number };
  /** Checks (and, when right, spends) the typed secret. Never throws for a wrong input. */
  verify(user: FactorUser, input: string): Promise<TypedOutcome>;
}

export interface CeremonyFactor extends FactorBase {
  family: 'ceremony';
}

export type SecondFactor = SentFactor | TypedFactor | CeremonyFactor;

export function isFactorName(value: unknown): value is FactorName {
  return typeof value === 'string' && (FACTOR_NAMES as readonly string[]).includes(value);
}
