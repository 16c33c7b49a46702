// Practice administration under /admin. Every route needs an admin of the practice with a session
// at the MFA level (requireSignIn steps a password-only session up); forms are CSRF-checked. Each
// route works only on the admin's own practice (see page.ts).
import Router from '@koa/router';
import { requireSignIn } from '../console/guard.js';
import { csrfProtection } from '../http/middleware/csrf.js';
import { formBody } from '../http/middleware/form-body.js';
import { registerAuditRoutes } from './audit.js';
import { registerIpAccessRoutes } from './ip-access.js';
import { registerSecurityRoutes } from './security.js';
import { registerPasskeyPolicyRoutes } from './passkey-policy.js';
import { registerUserRoutes } from './users/routes.js';

import type { RateLimits } from '../security/rate-limits.js';
import type { AuditLog } from '../audit/record.js';
import type { AccountService } from '../accounts/service.js';
import type Provider from 'oidc-provider';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import type { Render } from '../http/render.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
/** What this module needs from the composition root (src/app/). */
export interface AdminRouterDeps {
  /** Cookies we set carry Secure: the issuer is https. */
  secureCookies: boolean;
  accounts: AccountService;
  audit: AuditLog;
  /** The public issuer URL. */
  issuer: string;
  limits: RateLimits;
  mfa: Mfa;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  render: Render;
  config: Config;
  logger: Logger;
}

export function createAdminRouter(services: AdminRouterDeps): Router {
  const router = new Router({ prefix: '/admin' });
  router.use(formBody(), csrfProtection({ secure: services.secureCookies }), requireSignIn(services, { mfa: true, role: 'admin' }));
  router.get('/', (ctx) => {
    ctx.status = 303;
    ctx.redirect('/admin/users');
  });
  registerUserRoutes(router, services);
  registerSecurityRoutes(router, services);
  registerPasskeyPolicyRoutes(router, services);
  registerIpAccessRoutes(router, services);
  registerAuditRoutes(router, services);
  return router;
}
