// settledBySession (src/mfa/sign-in-risk.ts) lets an SSO request of a two-step session skip reading
// the device, network and trusted-IP signals. It may say so only where those signals cannot change
// the engine's answer: swept over every combination, the decision with the real signals equals the
// decision with none of them, and it is the session_mfa_valid waiver.
import { expect } from 'chai';
import { settledBySession } from '../../../../src/mfa/sign-in-risk.js';
import { assess, MFA_MODES, type AppRequest, type RiskSignals, type SessionLevel } from '../../../../src/mfa/risk/index.js';

const NOW = Date.UTC(2030, 0, 1, 12);
const MINUTE = 60_000;
const SESSIONS: SessionLevel[] = [
  { level: 'none' },
  { level: 'single-factor' },
  { level: 'multi-factor', secondFactorAt: NOW - 5 * MINUTE },
  { level: 'multi-factor', secondFactorAt: NOW - 120 * MINUTE },
];
const REQUESTS: AppRequest[] = [
  { mfaRequested: false, promptLogin: false },
  { mfaRequested: true, promptLogin: false },
  { mfaRequested: false, promptLogin: true },
  { mfaRequested: true, promptLogin: false, maxAgeSeconds: 3600 },
  { mfaRequested: false, promptLogin: false, maxAgeSeconds: 60 },
  { mfaRequested: false, promptLogin: false, maxAgeSeconds: 300 },
];
const BOOLS = [false, true];
/** By hand: [session index, request index] pairs settled without signals (max_age equal to the age is still fresh). */
const SETTLED = new Set(['2:0', '2:1', '2:3', '2:5', '3:0', '3:1']);

describe('mfa: settledBySession, the signals an MFA session does not need', () => {
  let settled = 0;
  for (const [s, session] of SESSIONS.entries()) {
    for (const [r, request] of REQUESTS.entries()) {
      const name = `${session.level}${session.level === 'multi-factor' ? ` ${(NOW - session.secondFactorAt) / MINUTE} min ago` : ''}, ${JSON.stringify(request)}`;
      it(name, () => {
        expect(settledBySession(request, session, NOW)).to.equal(SETTLED.has(`${s}:${r}`));
        if (!SETTLED.has(`${s}:${r}`)) return;
        settled++;
        for (const mode of MFA_MODES) for (const trustedIpsBypass of BOOLS) for (const userMfaEnabled of BOOLS) {
          const policy = { mode, trustedIpsBypass };
          const none = assess({ userMfaEnabled, knownDevice: false, trustedIp: false, knownNetwork: false, request, session, now: NOW }, policy);
          expect(none).to.deep.equal({ mfaRequired: false, reasons: ['session_mfa_valid'] });
          for (const knownDevice of BOOLS) for (const trustedIp of BOOLS) for (const knownNetwork of BOOLS) {
            const signals: RiskSignals = { userMfaEnabled, knownDevice, trustedIp, knownNetwork, request, session, now: NOW };
            expect(assess(signals, policy), JSON.stringify({ mode, trustedIpsBypass, knownDevice, trustedIp, knownNetwork })).to.deep.equal(none);
          }
        }
      });
    }
  }
  after(() => expect(settled, 'rows checked against every signal').to.equal(SETTLED.size));
});
