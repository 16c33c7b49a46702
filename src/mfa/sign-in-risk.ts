// Gathers the risk engine's signals for one sign-in from the store and the request, and asks it.
// Used by the mfa prompt's check (every authorization request with a session) and by the login step
// (to tell a risk-waived sign-in, amr `rba`, from a plain one).
import type { Types } from 'mongoose';
import type { Models, Practice } from '../store/models/index.js';
import type { KnownDevices } from './known-devices.js';
import { assess, DEFAULT_RISK_POLICY, type AppRequest, type RiskDecision, type RiskPolicy, type RiskSignals, type SessionLevel } from './risk/index.js';
import { freshSignInForced } from './risk/rules/fresh-sign-in.js';
import type { SignInNetworks } from './sign-in-networks.js';
import type { TrustedIps } from './trusted-ips.js';

export interface SignInRiskDeps {
  models: Models;
  now: () => number;
  trustedIps: TrustedIps;
  devices: KnownDevices;
  networks: SignInNetworks;
}

export interface SignInContext {
  user: { _id: Types.ObjectId; practiceId: Types.ObjectId; mfaEnabled?: boolean };
  /** From the device cookie, when the browser has one. */
  deviceId?: string;
  ip?: string;
  request: AppRequest;
  session: SessionLevel;
  /** Device (known to THIS practice) and network as this request already read them; read from the store otherwise. */
  seen?: { device: boolean; network: boolean };
  /** Whether the address is trusted, as this request already read it; read from the store otherwise. */
  trustedIp?: boolean;
  /** The practice as this request already read it (shared reads); read from the store otherwise. */
  readPractice?: (id: Types.ObjectId) => Promise<Practice | null>;
}

export interface SignInAssessment {
  decision: RiskDecision;
  policy: RiskPolicy;
  practiceName?: string;
}

export type AssessSignIn = (context: SignInContext) => Promise<SignInAssessment>;

/**
 * A session holding MFA, with no fresh sign-in forced, satisfies every demand whatever the device,
 * network or address (the engine's first waiver, session_mfa_valid): the SSO requests of a two-step
 * session then read none of those signals.
 */
export function settledBySession(request: AppRequest, session: SessionLevel, now: number): boolean {
  return session.level === 'multi-factor' && !freshSignInForced({ request, session, now } as RiskSignals);
}

export function createSignInRisk({ models, now, trustedIps, devices, networks }: SignInRiskDeps): AssessSignIn {
  return async ({ user, deviceId, ip, request, session, readPractice, seen, trustedIp: knownTrusted }) => {
    const at = now();
    const signalsNeeded = !settledBySession(request, session, at);
    const [practice, trustedIp, knownDevice, seenNetwork] = await Promise.all([
      readPractice ? readPractice(user.practiceId) : models.Practice.findById(user.practiceId).lean(),
      signalsNeeded && (knownTrusted ?? trustedIps.matches(user.practiceId, user._id, ip)),
      // A device is known to the practice entered only (its tag: src/mfa/known-devices.ts).
      signalsNeeded && (seen ? seen.device : devices.isKnown(user._id, deviceId, user.practiceId)),
      signalsNeeded && (seen ? seen.network : networks.seen(user._id, ip)),
    ]);
    // Policy is read at every request, so an admin's change applies to the next request of every user.
    const policy: RiskPolicy = practice
      ? { mode: practice.mfaPolicy, trustedIpsBypass: practice.trustedIpsBypass ?? true }
      : DEFAULT_RISK_POLICY;
    const decision = assess({
      userMfaEnabled: user.mfaEnabled === true,
      knownDevice,
      trustedIp,
      knownNetwork: seenNetwork || trustedIp,
      request,
      session,
      now: at,
    }, policy);
    return { decision, policy, ...(practice ? { practiceName: practice.name } : {}) };
  };
}
