// GET /account: who is signed in, how they sign in, and where to change it.
import { t } from '../i18n/request.js';
import type Router from '@koa/router';
import { signedIn } from '../console/guard.js';
import type { Mfa } from '../mfa/index.js';
import { renderAccountPage } from './page.js';
import { describeTwoStep } from './two-step.js';

import type { Render } from '../http/render.js';
import type { AuditLog } from '../audit/record.js';
import type { Logger } from '../observability/logger.js';
/** What this module needs from the composition root (src/app/). */
export interface AccountOverviewDeps {
  mfa: Mfa;
  audit: AuditLog;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  render: Render;
  logger: Logger;
}

export function registerOverviewRoutes(router: Router, services: AccountOverviewDeps): void {
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
