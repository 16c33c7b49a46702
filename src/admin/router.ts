// Practice administration under /admin. Every route needs an admin of the practice with a session
// at the MFA level (requireSignIn steps a password-only session up); forms are CSRF-checked. Each
// route works only on the admin's own practice (see page.ts).
import Router from '@koa/router';
import { requireSignIn, type ConsoleGuardDeps } from '../console/guard.js';
import { csrfProtection } from '../http/middleware/csrf.js';
import { formBody } from '../http/middleware/form-body.js';
import { registerAuditRoutes, type AdminAuditDeps } from './audit.js';
import { registerIpAccessRoutes, type AdminIpAccessDeps } from './ip-access.js';
import { registerSecurityRoutes, type AdminSecurityDeps } from './security.js';
import { registerUserRoutes, type UsersRoutesDeps } from './users/routes.js';
import { registerPasskeyPolicyRoutes } from './passkey-policy.js';

/**
 * What this module needs from the composition root (src/app/): the sign-in gate's and each group
 * of routes' own needs, named where they are used rather than listed again here.
 */
export type AdminRouterDeps = ConsoleGuardDeps & UsersRoutesDeps & AdminSecurityDeps & AdminIpAccessDeps & AdminAuditDeps;

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
