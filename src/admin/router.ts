// Practice administration under /admin. Every route needs an admin of the practice with a session
// at the MFA level (requireSignIn steps a password-only session up); forms are CSRF-checked. Each
// route works only on the admin's own practice (see page.ts).
import Router from '@koa/router';
import { requireSignIn } from '../console/guard.js';
import { csrfProtection } from '../http/middleware/csrf.js';
import { formBody } from '../http/middleware/form-body.js';
import type { AppServices } from '../http/services.js';
import { registerAuditRoutes } from './audit.js';
import { registerIpAccessRoutes } from './ip-access.js';
import { registerSecurityRoutes } from './security.js';
import { registerUserRoutes } from './users/routes.js';

export function createAdminRouter(services: AppServices): Router {
  const router = new Router({ prefix: '/admin' });
  router.use(formBody(), csrfProtection({ secure: services.secureCookies }), requireSignIn(services, { mfa: true, role: 'admin' }));
  router.get('/', (ctx) => {
    ctx.status = 303;
    ctx.redirect('/admin/users');
  });
  registerUserRoutes(router, services);
  registerSecurityRoutes(router, services);
  registerIpAccessRoutes(router, services);
  registerAuditRoutes(router, services);
  return router;
}
