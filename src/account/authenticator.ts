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
import { resolveFactorPolicy } from '../mfa/factors/policy.js';
import { auditOwnChange, formText, FRESH_FACTOR_SECONDS, notifyOwnChange, redirectWithNotice, renderAccountPage, requestWhere } from './page.js';

export const LAST_FACTOR_REFUSAL = 'Your practice allows no other way for you to sign in, so this authenticator app cannot be removed. Set up a new one instead (it replaces this one).';

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
      const message = outcome === 'expired' ? 'This set-up took too long. Scan the new QR code below and enter a code from it.' : 'That code is not correct. Enter the 6-digit code your app shows now.';
      return show(ctx, services, true, message);
    }
    await auditOwnChange(ctx, services, 'factor.enrolled', { factor: 'totp' });
    await notifyOwnChange(ctx, services, {
      subject: 'An authenticator app was added to your account',
      summary: 'An authenticator app was set up for signing in to your account. Any app set up before it no longer works.',
    });
    redirectWithNotice(ctx, '/account/authenticator', 'authenticator');
  });

  router.post('/authenticator/remove', fresh, async (ctx) => {
    const { user, practice } = signedIn(ctx);
    const policy = resolveFactorPolicy(practice.factorPolicy);
    const others = (await services.mfa.factors.registry.usableBy(user, policy)).filter((factor) => factor.name !== 'totp' && factor.name !== 'recovery');
    if (others.length === 0 && (await totp.active(user))) return show(ctx, services, false, LAST_FACTOR_REFUSAL);
    if (!(await totp.remove(user))) return redirectWithNotice(ctx, '/account/authenticator', 'unchanged');
    await auditOwnChange(ctx, services, 'factor.removed', { factor: 'totp' });
    await notifyOwnChange(ctx, services, {
      subject: 'An authenticator app was removed from your account',
      summary: 'The authenticator app of your account was removed: its codes no longer sign you in.',
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
    title: 'Authenticator app',
    error: error ?? null,
    allowed,
    active: active ? { since: active.confirmedAt!.toISOString().slice(0, 10) } : null,
    enrolment: enrolment ?? null,
  }, error ? 400 : 200);
}
