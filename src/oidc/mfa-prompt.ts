// The `mfa` prompt, after `login`: asks the risk engine whether this authorization request needs a
// one-time code for every SSO request riding on an existing session (a new sign-in's code is asked
// within the `login` prompt itself: src/interactions/pending-sign-in.ts). This is
// where step-up is enforced (oidc-provider does not enforce acr_values): an app asking for the MFA
// level gets a code unless the session holds MFA within max_age; a single-factor session is stepped
// up as soon as the policy demands a code. The decision's reasons go to the interaction
// (prompt.details.reasons) for the mfa step to show and audit. The question itself is
// src/mfa/session-risk.ts, which the console gate asks too.
import type { KoaContextWithOIDC } from 'oidc-provider';
import { interactionPolicy } from 'oidc-provider';
import { readDeviceId } from '../http/device-cookie.js';
import { requestOrigin } from '../net/request-origin.js';
import type { RiskDecision } from '../mfa/risk/index.js';
import { assessSession } from '../mfa/session-risk.js';
import type { AssessSignIn } from '../mfa/sign-in-risk.js';
import { phrRequired } from '../mfa/factors/phr.js';
import { ACR_PHR, AMR } from '../mfa/risk/acr.js';
import type { RequestReadsFor } from './request-reads.js';
import { PRACTICE_CHOSEN, type PracticeFor } from './practice-choice.js';
import { joinMember } from '../accounts/memberships.js';
import { phrRequiredOfPractice } from '../accounts/passkey-policy.js';

const { Prompt, Check } = interactionPolicy;

/**
 * The interaction result key under which the login step hands over the decision it just made for
 * this same sign-in (same user, device, address, app request, single-factor session). The resume
 * right after the login step uses it instead of asking the engine again: the result is stored
 * server-side with the interaction, so the browser cannot supply or change it.
 */
export const LOGIN_RISK_DECISION = 'riskDecision';

export function mfaPrompt(readsFor: RequestReadsFor, practiceFor: PracticeFor, assessSignIn: AssessSignIn): InstanceType<typeof Prompt> {
  const decisions = new WeakMap<object, RiskDecision>();
  const practices = new WeakMap<object, string>();

  const check = new Check('mfa_required', 'a one-time code is required', async (ctx: KoaContextWithOIDC) => {
    const { oidc } = ctx;
    const accountId = oidc.session?.accountId;
    if (!accountId) return Check.NO_NEED_TO_PROMPT; // the login prompt comes first
    // An app demanding the phishing-resistant level: nothing but a passkey or security key in this
    // sign-in or this session will do (max_age, e.g. 0, is the login prompt's: a new sign-in).
    if (phrRequired(oidc.params ?? {}) && (oidc.result?.login?.acr ?? oidc.session?.acr) !== ACR_PHR) {
      // (The console gate asks it for a user the practice requires it of: that is the reason then.)
      const required = await practiceRequiresPasskey(ctx, accountId);
      const { decision: entered } = await practiceFor(ctx, accountId);
      if (entered.kind === 'entered') practices.set(ctx, String(entered.membership.practiceId));
      decisions.set(ctx, { mfaRequired: true, reasons: [required ? 'phishing_resistant_required' : 'step_up_requested'] });
      return Check.REQUEST_PROMPT;
    }
    // A practice requiring passkeys of this user: a session from before the switch (or any below
    // phr) is stepped up to the passkey before any app gets a code (src/interactions/factor-choice.ts).
    // (The resume right after the login step: that step applied the requirement to the same practice.)
    const carried = await carriedDecision(ctx, accountId);
    if ((oidc.result?.login?.acr ?? oidc.session?.acr) !== ACR_PHR && !carried && await practiceRequiresPasskey(ctx, accountId)) {
      decisions.set(ctx, { mfaRequired: true, reasons: ['phishing_resistant_required'] });
      return Check.REQUEST_PROMPT;
    }
    // The second factor was just completed in this very request's interaction.
    if (oidc.result?.login?.amr?.some((method) => method === AMR.oneTimePassword || method === AMR.multiFactor)) return Check.NO_NEED_TO_PROMPT;
    const decision = carried ?? await assess(ctx, accountId);
    if (!decision) return Check.NO_NEED_TO_PROMPT; // findAccount refuses the account
    decisions.set(ctx, decision);
    return decision.mfaRequired ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
  }, (ctx: KoaContextWithOIDC) => ({ reasons: [...(decisions.get(ctx)?.reasons ?? [])], practiceId: practices.get(ctx) }));

  async function assess(ctx: KoaContextWithOIDC, accountId: string): Promise<RiskDecision | undefined> {
    // The practice this request enters decides: its policy, its trusted IPs, the person's two-step
    // choice there (practice-choice.ts; the select_account prompt before this one decided it).
    const reads = readsFor(ctx);
    const { identity, decision } = await practiceFor(ctx, accountId);
    if (!identity || decision.kind !== 'entered') return undefined;
    const user = joinMember(identity, decision.membership);
    practices.set(ctx, String(user.practiceId));
    const deviceId = readDeviceId(ctx);
    const ip = requestOrigin(ctx).ip;
    return assessSession(assessSignIn, {
      user, session: ctx.oidc.session!, params: ctx.oidc.params ?? {}, readPractice: reads.practice,
      ...(deviceId ? { deviceId } : {}), ...(ip ? { ip } : {}),
    });
  }

  /** Does the practice this request enters require a passkey of the person (their role there)? */
  async function practiceRequiresPasskey(ctx: KoaContextWithOIDC, accountId: string): Promise<boolean> {
    const { identity, decision } = await practiceFor(ctx, accountId);
    if (!identity || decision.kind !== 'entered') return false;
    const member = joinMember(identity, decision.membership);
    if (!phrRequiredOfPractice(await readsFor(ctx).practice(member.practiceId), member)) return false;
    practices.set(ctx, String(member.practiceId));
    return true;
  }

  /**
   * The login step's decision, when this request enters the practice it was made for. A membership
   * deactivated between the password and the resume makes the resume enter another practice (or
   * none): that practice's rules are asked, never the decision made for the first.
   */
  async function carriedDecision(ctx: KoaContextWithOIDC, accountId: string): Promise<RiskDecision | undefined> {
    const carried = loginStepDecision(ctx);
    if (!carried) return undefined;
    const decidedFor = (ctx.oidc.result as Record<string, { practiceId?: unknown } | undefined> | undefined)?.[PRACTICE_CHOSEN]?.practiceId;
    const { decision } = await practiceFor(ctx, accountId);
    return decision.kind === 'entered' && String(decision.membership.practiceId) === decidedFor ? carried : undefined;
  }

  return new Prompt({ name: 'mfa', requestable: false }, check);
}

/** The login step's decision, on the resume right after that step only. */
function loginStepDecision(ctx: KoaContextWithOIDC): RiskDecision | undefined {
  const { result, entities } = ctx.oidc;
  if (!result?.login || entities.Interaction?.prompt.name !== 'login') return undefined;
  const carried = (result as Record<string, unknown>)[LOGIN_RISK_DECISION] as Partial<RiskDecision> | undefined;
  if (typeof carried?.mfaRequired !== 'boolean' || !Array.isArray(carried.reasons)) return undefined;
  return { mfaRequired: carried.mfaRequired, reasons: carried.reasons };
}
