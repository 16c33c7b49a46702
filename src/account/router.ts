// Routes of the signed-in user's own settings (to be filled in).
import Router from '@koa/router';
import { requireSignIn, signedIn } from '../console/guard.js';
import type { AppServices } from '../http/services.js';

export function createAccountRouter(services: AppServices): Router {
  const router = new Router({ prefix: '/account' });
  router.use(requireSignIn(services));
  router.get('/', (ctx) => {
    ctx.body = signedIn(ctx).user.email;
  });
  return router;
}
