// /account/authenticator: add, replace or remove an authenticator app (TOTP). Everything here needs a
// fresh second factor (FRESH_FACTOR_SECONDS): a session that holds only a password, or an old
// sign-in, is sent through a sign-in with a second factor first. Adding shows a QR code drawn on the
// server (inline SVG, no script) and the manual key; the app is saved only when its first code is
// typed. Removing is refused when it would leave the user no factor their practice allows.
//
//   GET  /account/authenticator          status, or the enrolment (QR code, key, first code)
//   POST /account/authenticator          the first code confirms the new app
//   POST /account/authenticator/remove
import type Router from '@koa/router';
import type { Context } from 'koa';
import { requireSignIn, signedIn } from '../console/guard.js';
import type { AccountRouterDeps as AppServices } from './router.js';
import { formatDay } from '../i18n/dates.js';
import { t } from '../i18n/request.js';
import { resolveFactorPolicy } from '../mfa/factors/policy.js';
import { auditOwnChange, formText, FRESH_FACTOR_SECONDS, notifyOwnChange, redirectWithNotice, renderAccountPage, requestWhere } from './page.js';


export function registerAuthenticatorRoutes(router: Router, services: AppServices): void {
  const fresh = requireSignIn(services, { maxAgeSeconds: FRESH_FACTOR_SECONDS });
  const { totp } = services.mfa.factors;

  router.get('/authenticator', fresh, (ctx) => show(ctx, services, ctx.query.new === '1'));

  router.post('/authenticator', fresh, async (ctx) => {
    const { user } = signedIn(ctx);
    const outcome = await totp.confirm(user, formText(ctx, 'code', 20));
    if (outcome !== 'ok') {
      await services.audit.record({
        event: 'factor.enrolment_failed', outcome: 'failure', reasons: [outcome === 'expired' ? 'enrolment_expired' : 'wrong_code'],
        practiceId: user.practiceId, userSub: user.sub, ...requestWhere(ctx), details: { factor: 'totp' },
      });
      const message = outcome === 'expired' ? t('factors:authenticator.expired') : t('factors:authenticator.wrong');
      return show(ctx, services, true, message);
    }
    await auditOwnChange(ctx, services, 'factor.enrolled', { factor: 'totp' });
    await notifyOwnChange(ctx, services, {
      subject: t('factors:authenticator.added_subject'),
      summary: t('factors:authenticator.added_summary'),
    });
    redirectWithNotice(ctx, '/account/authenticator', 'authenticator');
  });

  router.post('/authenticator/remove', fresh, async (ctx) => {
    const { user, practice } = signedIn(ctx);
    const policy = resolveFactorPolicy(practice.factorPolicy);
    const others = (await services.mfa.factors.registry.usableBy(user, policy)).filter((factor) => factor.name !== 'totp' && factor.name !== 'recovery');
    if (others.length === 0 && (await totp.active(user))) return show(ctx, services, false, t('factors:authenticator.last_factor'));
    if (!(await totp.remove(user))) return redirectWithNotice(ctx, '/account/authenticator', 'unchanged');
    await auditOwnChange(ctx, services, 'factor.removed', { factor: 'totp' });
    await notifyOwnChange(ctx, services, {
      subject: t('factors:authenticator.removed_subject'),
      summary: t('factors:authenticator.removed_summary'),
    });
    redirectWithNotice(ctx, '/account/authenticator', 'authenticator-removed');
  });
}

async function show(ctx: Context, services: AppServices, enrol: boolean, error?: string): Promise<void> {
  const { user, practice } = signedIn(ctx);
  const { totp } = services.mfa.factors;
  const active = await totp.active(user);
  const allowed = resolveFactorPolicy(practice.factorPolicy).allowed.includes('totp');
  const enrolment = allowed && (enrol || !active) ? await totp.startEnrolment(user) : undefined;
  renderAccountPage(ctx, services, 'authenticator', {
    title: t('factors:authenticator.title'),
    error: error ?? null,
    allowed,
    active: active ? { since: formatDay(active.confirmedAt!, practice.timeZone) } : null,
    enrolment: enrolment ?? null,
  }, error ? 400 : 200);
}
