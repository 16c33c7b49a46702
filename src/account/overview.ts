// GET /account: who is signed in, how they sign in, and where to change it.
import { t } from '../i18n/request.js';
import type Router from '@koa/router';
import { signedIn } from '../console/guard.js';
import type { AppServices } from '../http/services.js';
import { renderAccountPage } from './page.js';
import { describeTwoStep } from './two-step.js';

export function registerOverviewRoutes(router: Router, services: AppServices): void {
  router.get('/', async (ctx) => {
    const { user, practice } = signedIn(ctx);
    const devices = await services.mfa.devices.list(user._id);
    renderAccountPage(ctx, services, 'overview', {
      title: t('account:overview.title'),
      account: {
        name: user.name,
        email: user.email,
        practiceName: practice.name,
        phone: user.phone ?? null,
        passwordChangedAt: user.passwordChangedAt ? user.passwordChangedAt.toISOString().slice(0, 10) : null,
        twoStep: describeTwoStep(user, practice),
        deviceCount: devices.length,
      },
    });
  });
}
