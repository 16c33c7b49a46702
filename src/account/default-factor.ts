// GET/POST /account/default-factor: which second factor the sign-in offers first, among those the
// user holds and the practice allows (the others stay under "Try another way"). It changes no
// factor, only the order, but it is a second-factor setting like the rest: fresh second factor.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { requireSignIn, signedIn } from '../console/guard.js';
import type { AccountRouterDeps as AppServices } from './router.js';
import { t } from '../i18n/request.js';
import { resolveFactorPolicy } from '../mfa/factors/policy.js';
import { auditOwnChange, formText, FRESH_FACTOR_SECONDS, redirectWithNotice, renderAccountPage } from './page.js';

async function choices(ctx: Context, services: AppServices) {
  const { user, practice } = signedIn(ctx);
  const usable = await services.mfa.factors.registry.usableBy(user, resolveFactorPolicy(practice.factorPolicy));
  return usable.filter((factor) => factor.name !== 'recovery');
}

export function registerDefaultFactorRoutes(router: Router, services: AppServices): void {
  const fresh = requireSignIn(services, { maxAgeSeconds: FRESH_FACTOR_SECONDS });

  router.get('/default-factor', fresh, (ctx) => show(ctx, services));

  router.post('/default-factor', fresh, async (ctx) => {
    const { user } = signedIn(ctx);
    const asked = formText(ctx, 'factor', 20);
    const chosen = (await choices(ctx, services)).find((factor) => factor.name === asked);
    if (!chosen || chosen.name === 'recovery') return show(ctx, services, t('factors:default.choose_listed'));
    if (user.defaultFactor === chosen.name) return redirectWithNotice(ctx, '/account', 'unchanged');
    await services.models.User.updateOne({ _id: user._id }, { $set: { defaultFactor: chosen.name } });
    await auditOwnChange(ctx, services, 'user.settings_changed', { before: { defaultFactor: user.defaultFactor ?? null }, after: { defaultFactor: chosen.name } });
    redirectWithNotice(ctx, '/account', 'default-factor');
  });
}

async function show(ctx: Context, services: AppServices, error?: string): Promise<void> {
  const usable = await choices(ctx, services);
  renderAccountPage(ctx, services, 'default-factor', {
    title: t('factors:default.title'),
    error: error ?? null,
    options: usable.map((factor, index) => ({ name: factor.name, first: index === 0 })),
  }, error ? 400 : 200);
}
