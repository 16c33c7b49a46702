// Routes of practice administration (to be filled in).
import Router from '@koa/router';
import type { AppServices } from '../http/services.js';

export function createAdminRouter(_services: AppServices): Router {
  return new Router({ prefix: '/admin' });
}
