// POST /interaction/:uid/verify-webauthn: the browser's answer to the passkey / security-key
// challenge this interaction's page carried (a hidden form field, posted by views/scripts/passkey.js).
// The challenge is spent by this one check whatever its outcome, and only a challenge made for this
// interaction counts (src/mfa/factors/webauthn/). A refused answer counts toward the lockout like any
// failed second factor; a signature counter that went backwards (a cloned authenticator) is audited
// as such. Success finishes the sign-in at the phishing-resistant level: amr `hwk` for a key bound
// to one authenticator, `swk` for a synced passkey, plus `user` (presence) and `mfa`.
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Context } from 'koa';
import type { UserDoc } from '../accounts/service.js';
import { formField } from '../http/middleware/form-body.js';
import type { LockStatus } from '../mfa/account-lockout.js';
import { ACR_PHR, AMR } from '../mfa/risk/acr.js';
import type { InteractionDeps, InteractionDetails } from './context.js';
import { refuseFactor, startFactorAttempt } from './factor-attempt.js';
import { factorChoice } from './factor-choice.js';
import type { Notice } from './mfa-messages.js';
import { t } from '../i18n/request.js';

export interface WebauthnPage {
  user: (deps: InteractionDeps, details: InteractionDetails) => Promise<UserDoc>;
  show: (ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc, notice?: Notice) => Promise<void>;
  locked: (ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc, lock: LockStatus) => Promise<void>;
  complete: (ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc, amr: string[], acr?: string) => Promise<void>;
}

/** Read at render time, in the request's language. */
const refused = (): Notice => ({ kind: 'error', text: t('factors:refused.passkey'), status: 401 });

export function parseResponse(text: string): AuthenticationResponseJSON | undefined {
  try {
    const parsed = JSON.parse(text) as AuthenticationResponseJSON;
    return parsed && typeof parsed.id === 'string' && typeof parsed.response?.clientDataJSON === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 8176 methods of a WebAuthn sign-in (without `pwd`). */
export function webauthnAmr(deviceType: string | undefined): string[] {
  return [deviceType === 'multiDevice' ? AMR.softwareKey : AMR.hardwareKey, AMR.userPresence, AMR.multiFactor];
}

export async function verifyWebauthn(ctx: Context, details: InteractionDetails, deps: InteractionDeps, page: WebauthnPage): Promise<void> {
  const user = await page.user(deps, details);
  if (!(await factorChoice(deps, user, details.params)).usable.some((factor) => factor.name === 'webauthn')) {
    ctx.status = 303;
    return ctx.redirect(`/interaction/${details.uid}`);
  }
  const attempt = await startFactorAttempt(ctx, details, deps, user);
  if (attempt.lock.locked) return page.locked(ctx, details, deps, user, attempt.lock);

  const response = parseResponse(formField(ctx.state, 'response'));
  const result = response
    ? await deps.mfa.factors.webauthn.authenticate(response, `interaction:${details.uid}`, user)
    : { outcome: 'refused' as const, reason: 'not_verified' as const };
  if (result.outcome !== 'ok') {
    const reason = result.reason === 'counter' ? 'clone_suspected' : result.reason;
    const after = await refuseFactor(deps, user, attempt, { reasons: [reason], details: { factor: 'webauthn', ...(result.credential ? { name: result.credential.name } : {}) } });
    if (after.locked) return page.locked(ctx, details, deps, user, after);
    return page.show(ctx, details, deps, user, refused());
  }
  await deps.audit.record({ ...attempt.about, event: 'mfa.factor.verified', outcome: 'success', details: { factor: 'webauthn', name: result.credential.name, userVerified: result.userVerified } });
  await deps.mfa.lockout.success(user._id);
  await page.complete(ctx, details, deps, user, [AMR.password, ...webauthnAmr(result.credential.deviceType)], ACR_PHR);
}
