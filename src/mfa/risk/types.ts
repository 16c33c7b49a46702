// What the risk engine reads and what it answers. The caller (the MFA service) turns storage and the
// authorization request into these plain values; the engine never touches a store or a clock.
import type { RiskReason } from './reasons.js';

/** Practice MFA mode: `off` asks only users who turned it on; `risk` (the default) adds unusual sign-ins; `always` asks everyone. */
export const MFA_MODES = ['off', 'risk', 'always'] as const;
export type MfaMode = (typeof MFA_MODES)[number];

export interface RiskPolicy {
  readonly mode: MfaMode;
  /** Does a trusted IP skip the code? Default true; a practice may turn it off. */
  readonly trustedIpsBypass: boolean;
}

export const DEFAULT_RISK_POLICY: RiskPolicy = Object.freeze({ mode: 'risk', trustedIpsBypass: true });

/** The browser session this request arrives with, before this sign-in's steps. */
export type SessionLevel =
  | { readonly level: 'none' }
  | { readonly level: 'single-factor' }
  | { readonly level: 'multi-factor'; /** ms since the epoch of the last second factor. */ readonly secondFactorAt: number };

/** What the application asked for, from the authorization request. */
export interface AppRequest {
  /** `acr_values` holds the MFA level, or an essential `acr` claim asks for it (see `appRequestsMfa`). */
  readonly mfaRequested: boolean;
  /** `max_age` in seconds, when given. */
  readonly maxAgeSeconds?: number;
  /** `prompt` includes `login`. */
  readonly promptLogin: boolean;
}

export interface RiskSignals {
  /** Two-step sign-in turned on for this user, by the user or an admin. */
  readonly userMfaEnabled: boolean;
  /** This browser completed a two-step sign-in for this user before. */
  readonly knownDevice: boolean;
  /** The client IP is in the practice's or this user's trusted IP entries. */
  readonly trustedIp: boolean;
  /** The IP's /24 or /64 saw a completed sign-in by this user in the last 90 days, or is a trusted network. */
  readonly knownNetwork: boolean;
  readonly request: AppRequest;
  readonly session: SessionLevel;
  /** ms since the epoch. */
  readonly now: number;
}

export interface RiskDecision {
  readonly mfaRequired: boolean;
  /** Why, in the order declared in RISK_REASONS; never empty. */
  readonly reasons: readonly RiskReason[];
}

/** A rule that may demand a code: returns its reason, or undefined. */
export type Demand = (signals: RiskSignals, policy: RiskPolicy) => RiskReason | undefined;

/** A rule that may waive the demands: returns the reasons no new code is needed, or undefined. */
export type Waiver = (signals: RiskSignals, policy: RiskPolicy, demands: readonly RiskReason[]) => readonly RiskReason[] | undefined;
