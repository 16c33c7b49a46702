// POST /interaction/:uid/verify-factor: a secret the user holds and types (authenticator-app code,
// recovery code) instead of a code we sent. The same rules as a sent code: the code-entry limit, no
// check at all while the account is locked for this source, every wrong or replayed secret counted
// toward the lockout, each outcome audited. A recovery code that signs in is audited apart and
// emailed to the user: losing one to someone else must not go unnoticed.
import type { Context } from 'koa';
import type { UserDoc } from '../accounts/service.js';
import { formField } from '../http/middleware/form-body.js';
import type { LockStatus } from '../mfa/account-lockout.js';
import type { TypedFactor } from '../mfa/factors/factor.js';
import { AMR } from '../mfa/risk/acr.js';
import { sendSecurityNotice } from '../notifications/security-notice.js';
import type { InteractionDeps, InteractionDetails } from './context.js';
import { refuseFactor, startFactorAttempt } from './factor-attempt.js';
import { factorChoice, typedFactorNamed } from './factor-choice.js';
import type { Notice } from './mfa-messages.js';
import { currentLanguage, t } from '../i18n/request.js';

export interface TypedFactorPage {
  user: (deps: InteractionDeps, details: InteractionDetails) => Promise<UserDoc>;
  /** Shows the code page for `factor` with a notice. */
  show: (ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc, factor: TypedFactor, notice?: Notice) => Promise<void>;
  locked: (ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc, lock: LockStatus) => Promise<void>;
  /** Finishes the sign-in (known device, network, acr/amr). */
  complete: (ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc, amr: string[]) => Promise<void>;
}


export async function verifyTypedFactor(ctx: Context, details: InteractionDetails, deps: InteractionDeps, page: TypedFactorPage): Promise<void> {
  const user = await page.user(deps, details);
  // Only a factor the practice allows, the user holds, and the app's demand accepts (none when it demands a passkey).
  const factor = typedFactorNamed(await factorChoice(deps, user, details.params), formField(ctx.state, 'factor'));
  if (!factor) {
    ctx.status = 303;
    return ctx.redirect(`/interaction/${details.uid}`);
  }
  const attempt = await startFactorAttempt(ctx, details, deps, user);
  if (attempt.lock.locked) return page.locked(ctx, details, deps, user, attempt.lock);
  const { info, about } = attempt;

  const outcome = await factor.verify(user, formField(ctx.state, 'code'));
  if (outcome !== 'ok') {
    if (outcome === 'malformed') return page.show(ctx, details, deps, user, factor, { kind: 'error', text: t('factors:refused.malformed'), status: 400 });
    const after = await refuseFactor(deps, user, attempt, { reasons: [outcome === 'replayed' ? 'replayed_code' : 'wrong_code'], details: { factor: factor.name } });
    if (after.locked) return page.locked(ctx, details, deps, user, after);
    return page.show(ctx, details, deps, user, factor, { kind: 'error', text: outcome === 'replayed' ? t('factors:refused.replayed') : t('factors:refused.wrong'), status: 401 });
  }

  await deps.audit.record({ ...about, event: 'mfa.factor.verified', outcome: 'success', details: { factor: factor.name } });
  if (factor.name === 'recovery') {
    const remaining = await deps.mfa.factors.recovery.remaining(user);
    await deps.audit.record({ ...about, event: 'mfa.recovery_code.used', outcome: 'success', details: { remaining } });
    const practice = await deps.models.Practice.findById(user.practiceId, { name: 1 }).lean();
    await sendSecurityNotice(deps, user, {
      subject: t('factors:recovery.used_subject'),
      summary: t('factors:recovery.used_summary'),
      details: [t('factors:recovery.used_remaining', { count: remaining })],
      language: currentLanguage(),
      ...(info.ip ? { ip: info.ip } : {}), at: new Date(deps.now()), ...(practice ? { practiceName: practice.name } : {}),
    });
  }
  await deps.mfa.lockout.success(user._id);
  await page.complete(ctx, details, deps, user, [AMR.password, ...factor.amr, AMR.multiFactor]);
}
