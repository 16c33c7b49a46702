// The risk engine by table: each row is one sign-in situation with the exact decision and reasons
// expected, written by hand. A second block sweeps every combination of the signals and checks the
// rules that must hold everywhere (step-up never bypassed, MFA session always enough…).
import { expect } from 'chai';
import {
  assess, isRiskWaived, RISK_REASONS,
  type MfaMode, type RiskReason, type RiskSignals, type SessionLevel,
} from '../../../../src/mfa/risk/index.js';

const NOW = Date.UTC(2030, 0, 1, 12);
const MINUTE = 60_000;
const SESSIONS = {
  none: { level: 'none' },
  single: { level: 'single-factor' },
  'mfa-5m': { level: 'multi-factor', secondFactorAt: NOW - 5 * MINUTE },
  'mfa-2h': { level: 'multi-factor', secondFactorAt: NOW - 120 * MINUTE },
} satisfies Record<string, SessionLevel>;
type SessionName = keyof typeof SESSIONS;

interface Situation {
  mode: MfaMode;
  bypass?: boolean; // practice lets trusted IPs skip the code (default true)
  user?: boolean; // user turned two-step sign-in on
  device?: boolean; // known device (default true)
  network?: boolean; // known network (default true)
  trusted?: boolean; // trusted IP
  stepUp?: boolean; // app asked for the MFA level
  session?: SessionName;
  maxAge?: number; // seconds
  promptLogin?: boolean;
}

function signalsOf(s: Situation): RiskSignals {
  return {
    userMfaEnabled: s.user ?? false,
    knownDevice: s.device ?? true,
    knownNetwork: s.network ?? true,
    trustedIp: s.trusted ?? false,
    request: { mfaRequested: s.stepUp ?? false, promptLogin: s.promptLogin ?? false, ...(s.maxAge === undefined ? {} : { maxAgeSeconds: s.maxAge }) },
    session: SESSIONS[s.session ?? 'none'],
    now: NOW,
  };
}
const policyOf = (s: Situation) => ({ mode: s.mode, trustedIpsBypass: s.bypass ?? true });

const rows: { name: string; when: Situation; required: boolean; reasons: RiskReason[]; rba?: boolean }[] = [
  // off: only users who turned it on, then at every login unless on a trusted IP
  { name: 'off: user without MFA, even on a new device and network', when: { mode: 'off', device: false, network: false }, required: false, reasons: ['mfa_not_enabled'] },
  { name: 'off: user with MFA on a known device', when: { mode: 'off', user: true }, required: true, reasons: ['user_mfa_enabled'] },
  { name: 'off: user with MFA on a trusted IP', when: { mode: 'off', user: true, trusted: true }, required: false, reasons: ['trusted_ip_bypass'], rba: true },
  { name: 'off: user with MFA on a trusted IP, bypass disabled', when: { mode: 'off', user: true, trusted: true, bypass: false }, required: true, reasons: ['user_mfa_enabled'] },
  { name: 'off: user without MFA on a trusted IP (nothing to bypass)', when: { mode: 'off', trusted: true }, required: false, reasons: ['mfa_not_enabled'] },
  { name: 'off: app asks for MFA from a user without MFA', when: { mode: 'off', stepUp: true }, required: true, reasons: ['step_up_requested'] },
  { name: 'off: app asks for MFA on a trusted IP', when: { mode: 'off', stepUp: true, trusted: true }, required: true, reasons: ['step_up_requested'] },
  { name: 'off: app asks for MFA, user with MFA, trusted IP', when: { mode: 'off', user: true, stepUp: true, trusted: true }, required: true, reasons: ['step_up_requested', 'user_mfa_enabled'] },
  { name: 'off: user with MFA reusing an MFA session (SSO)', when: { mode: 'off', user: true, session: 'mfa-5m' }, required: false, reasons: ['session_mfa_valid'] },
  { name: 'off: user with MFA reusing a single-factor session', when: { mode: 'off', user: true, session: 'single' }, required: true, reasons: ['user_mfa_enabled'] },
  // risk: unusual device or network, and users who turned it on
  { name: 'risk: known device on a known network', when: { mode: 'risk' }, required: false, reasons: ['known_device', 'known_network'], rba: true },
  { name: 'risk: new device on a known network', when: { mode: 'risk', device: false }, required: true, reasons: ['new_device'] },
  { name: 'risk: known device on a new network (remote / telehealth)', when: { mode: 'risk', network: false }, required: true, reasons: ['new_ip'] },
  { name: 'risk: new device on a new network', when: { mode: 'risk', device: false, network: false }, required: true, reasons: ['new_device', 'new_ip'] },
  { name: 'risk: new device and network on a trusted IP', when: { mode: 'risk', device: false, network: false, trusted: true }, required: false, reasons: ['trusted_ip_bypass'], rba: true },
  { name: 'risk: new device and network on a trusted IP, bypass disabled', when: { mode: 'risk', device: false, network: false, trusted: true, bypass: false }, required: true, reasons: ['new_device', 'new_ip'] },
  { name: 'risk: known device and network on a trusted IP (nothing to bypass)', when: { mode: 'risk', trusted: true }, required: false, reasons: ['known_device', 'known_network'], rba: true },
  { name: 'risk: user with MFA on a known device and network', when: { mode: 'risk', user: true }, required: true, reasons: ['user_mfa_enabled'] },
  { name: 'risk: user with MFA on a trusted IP', when: { mode: 'risk', user: true, trusted: true }, required: false, reasons: ['trusted_ip_bypass'], rba: true },
  { name: 'risk: user with MFA on a new device and network', when: { mode: 'risk', user: true, device: false, network: false }, required: true, reasons: ['user_mfa_enabled', 'new_device', 'new_ip'] },
  { name: 'risk: app asks for MFA on a known device and network', when: { mode: 'risk', stepUp: true }, required: true, reasons: ['step_up_requested'] },
  { name: 'risk: app asks for MFA on a trusted IP', when: { mode: 'risk', stepUp: true, trusted: true }, required: true, reasons: ['step_up_requested'] },
  { name: 'risk: new device reusing an MFA session (second module, SSO)', when: { mode: 'risk', device: false, session: 'mfa-5m' }, required: false, reasons: ['session_mfa_valid'] },
  { name: 'risk: new device reusing a single-factor session', when: { mode: 'risk', device: false, session: 'single' }, required: true, reasons: ['new_device'] },
  { name: 'risk: known device and network reusing a single-factor session', when: { mode: 'risk', session: 'single' }, required: false, reasons: ['known_device', 'known_network'], rba: true },
  { name: 'risk: step-up from a single-factor session', when: { mode: 'risk', stepUp: true, session: 'single' }, required: true, reasons: ['step_up_requested'] },
  { name: 'risk: step-up satisfied by an MFA session, no max_age', when: { mode: 'risk', stepUp: true, session: 'mfa-2h' }, required: false, reasons: ['session_mfa_valid'] },
  { name: 'risk: step-up, MFA 5 min ago, max_age 600', when: { mode: 'risk', stepUp: true, session: 'mfa-5m', maxAge: 600 }, required: false, reasons: ['session_mfa_valid'] },
  { name: 'risk: step-up, MFA exactly max_age (300 s) ago is still fresh', when: { mode: 'risk', stepUp: true, session: 'mfa-5m', maxAge: 300 }, required: false, reasons: ['session_mfa_valid'] },
  { name: 'risk: step-up, MFA 5 min ago, max_age 299', when: { mode: 'risk', stepUp: true, session: 'mfa-5m', maxAge: 299 }, required: true, reasons: ['step_up_requested', 'fresh_sign_in_requested'] },
  { name: 'risk: step-up with prompt=login over an MFA session', when: { mode: 'risk', stepUp: true, session: 'mfa-5m', promptLogin: true }, required: true, reasons: ['step_up_requested', 'fresh_sign_in_requested'] },
  { name: 'risk: step-up with prompt=login on a trusted IP', when: { mode: 'risk', stepUp: true, trusted: true, session: 'mfa-5m', promptLogin: true }, required: true, reasons: ['step_up_requested', 'fresh_sign_in_requested'] },
  { name: 'risk: prompt=login without step-up, known device and network', when: { mode: 'risk', session: 'mfa-5m', promptLogin: true }, required: false, reasons: ['known_device', 'known_network'], rba: true },
  { name: 'risk: new device, MFA session older than max_age', when: { mode: 'risk', device: false, session: 'mfa-2h', maxAge: 3600 }, required: true, reasons: ['new_device', 'fresh_sign_in_requested'] },
  { name: 'risk: new device, max_age=0 over an MFA session', when: { mode: 'risk', device: false, session: 'mfa-5m', maxAge: 0 }, required: true, reasons: ['new_device', 'fresh_sign_in_requested'] },
  { name: 'risk: new device on a trusted IP, MFA session older than max_age', when: { mode: 'risk', device: false, trusted: true, session: 'mfa-2h', maxAge: 60 }, required: false, reasons: ['trusted_ip_bypass'], rba: true },
  { name: 'risk: step-up with max_age and no session', when: { mode: 'risk', stepUp: true, maxAge: 60 }, required: true, reasons: ['step_up_requested'] },
  // always: every login of every user
  { name: 'always: known device and network', when: { mode: 'always' }, required: true, reasons: ['policy_always'] },
  { name: 'always: user with MFA (the practice rule covers it)', when: { mode: 'always', user: true }, required: true, reasons: ['policy_always'] },
  { name: 'always: trusted IP', when: { mode: 'always', trusted: true }, required: false, reasons: ['trusted_ip_bypass'], rba: true },
  { name: 'always: trusted IP, bypass disabled', when: { mode: 'always', trusted: true, bypass: false }, required: true, reasons: ['policy_always'] },
  { name: 'always: reusing an MFA session (SSO)', when: { mode: 'always', session: 'mfa-2h' }, required: false, reasons: ['session_mfa_valid'] },
  { name: 'always: single-factor session after the admin switched to always', when: { mode: 'always', session: 'single' }, required: true, reasons: ['policy_always'] },
  { name: 'always: step-up on a trusted IP', when: { mode: 'always', stepUp: true, trusted: true }, required: true, reasons: ['step_up_requested', 'policy_always'] },
  { name: 'always: prompt=login over an MFA session', when: { mode: 'always', session: 'mfa-5m', promptLogin: true }, required: true, reasons: ['policy_always', 'fresh_sign_in_requested'] },
  { name: 'always: MFA session older than max_age', when: { mode: 'always', session: 'mfa-2h', maxAge: 3600 }, required: true, reasons: ['policy_always', 'fresh_sign_in_requested'] },
  { name: 'always: MFA session exactly max_age old', when: { mode: 'always', session: 'mfa-2h', maxAge: 7200 }, required: false, reasons: ['session_mfa_valid'] },
];

describe('mfa/risk: assess, situation by situation', () => {
  for (const { name, when, required, reasons, rba = false } of rows) {
    it(`${name} → ${required ? 'code' : 'no code'} [${reasons.join(', ')}]${rba ? ' rba' : ''}`, () => {
      const decision = assess(signalsOf(when), policyOf(when));
      expect(decision).to.deep.equal({ mfaRequired: required, reasons });
      expect(isRiskWaived(decision)).to.equal(rba);
    });
  }
});

// Every combination of the signals that matter: 3 modes × 2^6 booleans × 4 sessions × 4 request kinds.
const REQUESTS: Pick<Situation, 'maxAge' | 'promptLogin'>[] = [{}, { maxAge: 3600 }, { maxAge: 60 }, { promptLogin: true }];
const everySituation: Situation[] = [];
for (const mode of ['off', 'risk', 'always'] as const)
  for (const bits of Array.from({ length: 64 }, (_, i) => i))
    for (const session of Object.keys(SESSIONS) as SessionName[])
      for (const request of REQUESTS) {
        const flag = (n: number) => Boolean(bits & (1 << n));
        everySituation.push({ mode, bypass: flag(0), user: flag(1), device: flag(2), network: flag(3), trusted: flag(4), stepUp: flag(5), session, ...request });
      }

const sessionMfaHolds = (s: Situation) => {
  const session = SESSIONS[s.session ?? 'none'];
  return session.level === 'multi-factor' && !s.promptLogin && (s.maxAge === undefined || NOW - session.secondFactorAt <= s.maxAge * 1000);
};
const trustedBypasses = (s: Situation) => Boolean(s.trusted && s.bypass && !s.stepUp);

const invariants: { name: string; holds: (s: Situation, decision: ReturnType<typeof assess>) => boolean }[] = [
  { name: 'reasons are never empty, known, in declared order and unique', holds: (_s, d) => d.reasons.length > 0 && d.reasons.every((r, i) => i === 0 || RISK_REASONS.indexOf(r) > RISK_REASONS.indexOf(d.reasons[i - 1]!)) },
  { name: 'an MFA session within max_age and without prompt=login answers everything', holds: (s, d) => !sessionMfaHolds(s) || (!d.mfaRequired && d.reasons.join() === 'session_mfa_valid') },
  { name: 'a step-up is never waived except by a valid MFA session', holds: (s, d) => !s.stepUp || sessionMfaHolds(s) || (d.mfaRequired && d.reasons.includes('step_up_requested')) },
  { name: 'a bypassing trusted IP waives every policy demand, in every mode', holds: (s, d) => !trustedBypasses(s) || !d.mfaRequired },
  { name: 'always mode asks unless an MFA session or a bypassing trusted IP answers', holds: (s, d) => s.mode !== 'always' || sessionMfaHolds(s) || trustedBypasses(s) || d.reasons.includes('policy_always') },
  { name: 'off mode never asks a user without MFA unless the app asks', holds: (s, d) => s.mode !== 'off' || s.user || s.stepUp || !d.mfaRequired },
  { name: 'risk mode asks exactly for a new device, a new network or a user with MFA (absent waivers)', holds: (s, d) => s.mode !== 'risk' || s.stepUp || sessionMfaHolds(s) || trustedBypasses(s) || d.mfaRequired === Boolean(s.user || !s.device || !s.network) },
  { name: 'a required code is explained by at least one demand', holds: (_s, d) => !d.mfaRequired || d.reasons.some((r) => ['step_up_requested', 'policy_always', 'user_mfa_enabled', 'new_device', 'new_ip'].includes(r)) },
  { name: 'rba only when no code is asked and risk rules (not the session) waived it', holds: (_s, d) => isRiskWaived(d) === (!d.mfaRequired && !d.reasons.includes('session_mfa_valid') && !d.reasons.includes('mfa_not_enabled')) },
];

describe(`mfa/risk: rules that hold in all ${everySituation.length} combinations`, () => {
  for (const { name, holds } of invariants) {
    it(name, () => {
      const broken = everySituation.filter((s) => !holds(s, assess(signalsOf(s), policyOf(s))));
      expect(broken, JSON.stringify(broken[0])).to.have.length(0);
    });
  }
});
