// /account/recovery-codes: 10 single-use codes for when the authenticator app is lost. Making a set
// needs a fresh second factor; the codes are shown once, on the response to the POST (never stored
// in the clear, never on a page that can be loaded again), and a new set voids the old one. They are
// offered where the practice allows authenticator apps (they are that app's backup).
//
//   GET  /account/recovery-codes        how many unused codes are left
//   POST /account/recovery-codes        a new set, shown once
import type Router from '@koa/router';
import type { Context } from 'koa';
import { requireSignIn, signedIn } from '../console/guard.js';
import type { AccountRouterDeps as AppServices } from './router.js';
import { t } from '../i18n/request.js';
import { factorAllowed, resolveFactorPolicy } from '../mfa/factors/policy.js';
import { auditOwnChange, FRESH_FACTOR_SECONDS, notifyOwnChange, renderAccountPage } from './page.js';

export function registerRecoveryCodeRoutes(router: Router, services: AppServices): void {
  const fresh = requireSignIn(services, { maxAgeSeconds: FRESH_FACTOR_SECONDS });

  router.get('/recovery-codes', fresh, (ctx) => show(ctx, services));

  router.post('/recovery-codes', fresh, async (ctx) => {
    const { user, practice } = signedIn(ctx);
    if (!factorAllowed(resolveFactorPolicy(practice.factorPolicy), 'recovery')) return show(ctx, services);
    const codes = await services.mfa.factors.recovery.regenerate(user);
    await auditOwnChange(ctx, services, 'factor.enrolled', { factor: 'recovery', count: codes.length });
    await notifyOwnChange(ctx, services, {
      subject: t('factors:recovery.new_subject'),
      summary: t('factors:recovery.new_summary'),
    });
    await show(ctx, services, codes);
  });
}

async function show(ctx: Context, services: AppServices, codes?: string[]): Promise<void> {
  const { user, practice } = signedIn(ctx);
  renderAccountPage(ctx, services, 'recovery-codes', {
    title: t('factors:recovery.title'),
    allowed: factorAllowed(resolveFactorPolicy(practice.factorPolicy), 'recovery'),
    remaining: await services.mfa.factors.recovery.remaining(user),
    codes: codes ?? null,
  });
}
