// The risk engine: does this sign-in need a one-time code, and why? Pure: signals and policy in,
// decision out. The whole pipeline reads on this screen:
//   1. DEMANDS  each rule may name a reason a code is needed;
//   2. WAIVERS  the first that applies answers "no code" with its reasons (order matters: a valid MFA
//               session is the strongest answer, then "nothing was demanded", then the trusted IP);
//   3. otherwise a code is required, for every demand, plus the NOTES that explain it further.
import { RISK_REASONS, type RiskReason } from './reasons.js';
import { freshSignInRequested } from './rules/fresh-sign-in-requested.js';
import { newDevice } from './rules/new-device.js';
import { newIp } from './rules/new-ip.js';
import { nothingDemanded } from './rules/nothing-demanded.js';
import { policyAlways } from './rules/policy-always.js';
import { sessionMfaValid } from './rules/session-mfa-valid.js';
import { stepUpRequested } from './rules/step-up-requested.js';
import { trustedIpBypass } from './rules/trusted-ip-bypass.js';
import { userMfaEnabled } from './rules/user-mfa-enabled.js';
import type { Demand, RiskDecision, RiskPolicy, RiskSignals, Waiver } from './types.js';

const DEMANDS: readonly Demand[] = [stepUpRequested, policyAlways, userMfaEnabled, newDevice, newIp];
const WAIVERS: readonly Waiver[] = [sessionMfaValid, nothingDemanded, trustedIpBypass];
const NOTES: readonly Demand[] = [freshSignInRequested];

export function assess(signals: RiskSignals, policy: RiskPolicy): RiskDecision {
  const demands = collect(DEMANDS, signals, policy);
  for (const waiver of WAIVERS) {
    const reasons = waiver(signals, policy, demands);
    if (reasons) return { mfaRequired: false, reasons: ordered(reasons) };
  }
  return { mfaRequired: true, reasons: ordered([...demands, ...collect(NOTES, signals, policy)]) };
}

/** Was the code waived by risk rules (trusted IP, or known device on a known network)? The caller then adds amr `rba`. */
export function isRiskWaived(decision: RiskDecision): boolean {
  return !decision.mfaRequired && decision.reasons.some((r) => r === 'trusted_ip_bypass' || r === 'known_device' || r === 'known_network');
}

function collect(rules: readonly Demand[], signals: RiskSignals, policy: RiskPolicy): RiskReason[] {
  return rules.map((rule) => rule(signals, policy)).filter((reason): reason is RiskReason => reason !== undefined);
}

function ordered(reasons: readonly RiskReason[]): RiskReason[] {
  return RISK_REASONS.filter((reason) => reasons.includes(reason));
}

export { RISK_REASONS, RISK_REASON_TEXT, type RiskReason } from './reasons.js';
export { appRequestsMfa, type AcrAsked, type AcrClaimRequest } from './request.js';
export {
  DEFAULT_RISK_POLICY, MFA_MODES,
  type AppRequest, type MfaMode, type RiskDecision, type RiskPolicy, type RiskSignals, type SessionLevel,
} from './types.js';
