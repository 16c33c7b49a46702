// Gathers the risk engine's signals for one sign-in from the store and the request, and asks it.
// Used by the mfa prompt's check (every authorization request with a session) and by the login step
// (to tell a risk-waived sign-in, amr `rba`, from a plain one).
import type { Types } from 'mongoose';
import type { Models } from '../store/models/index.js';
import type { KnownDevices } from './known-devices.js';
import { assess, DEFAULT_RISK_POLICY, type AppRequest, type RiskDecision, type RiskPolicy, type SessionLevel } from './risk/index.js';
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
}

export interface SignInAssessment {
  decision: RiskDecision;
  policy: RiskPolicy;
  practiceName?: string;
}

export type AssessSignIn = (context: SignInContext) => Promise<SignInAssessment>;

export function createSignInRisk({ models, now, trustedIps, devices, networks }: SignInRiskDeps): AssessSignIn {
  return async ({ user, deviceId, ip, request, session }) => {
    const [practice, trustedIp, knownDevice, seenNetwork] = await Promise.all([
      models.Practice.findById(user.practiceId).lean(),
      trustedIps.matches(user.practiceId, user._id, ip),
      devices.isKnown(user._id, deviceId),
      networks.seen(user._id, ip),
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
      now: now(),
    }, policy);
    return { decision, policy, ...(practice ? { practiceName: practice.name } : {}) };
  };
}
