// Routes of password reset by emailed code (to be filled in).
import Router from '@koa/router';
import type { AppServices } from '../http/services.js';

export function createPasswordResetRouter(_services: AppServices): Router {
  return new Router({ prefix: '/password-reset' });
}
