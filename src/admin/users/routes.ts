// User management under /admin/users (one file per action):
//
// GET  /users                     list, search (?q=) and paging (?page=)       list.ts
// GET  /users/new, POST /users    create, then email an invitation             create.ts
// GET  /users/:id, POST /users/:id  the user's page; save name, email, phone, role  edit.ts
// POST /users/:id/access          "Save access for user": two-step sign-in and its channel  access.ts
// POST /users/:id/deactivate | /reactivate                                      active.ts
// POST /users/:id/unlock          lift an account lock                          unlock.ts
// POST /users/:id/forget-devices  forget every known device                     devices.ts
// POST /users/:id/end-sessions    sign the user out everywhere                  sessions.ts
//
// Every :id is looked up within the admin's practice: another practice's id is a 404.
import type Router from '@koa/router';
import type { AppServices } from '../../http/services.js';
import { saveAccess } from './access.js';
import { setActive } from './active.js';
import { createUser, showNewUser } from './create.js';
import { forgetDevices } from './devices.js';
import { saveProfile, showUser } from './edit.js';
import { listUsers } from './list.js';
import { endSessions } from './sessions.js';
import { unlockUser } from './unlock.js';

export function registerUserRoutes(router: Router, services: AppServices): void {
  router.get('/users', (ctx) => listUsers(ctx, services));
  router.get('/users/new', (ctx) => showNewUser(ctx, services));
  router.post('/users', (ctx) => createUser(ctx, services));
  router.get('/users/:id', (ctx) => showUser(ctx, services));
  router.post('/users/:id', (ctx) => saveProfile(ctx, services));
  router.post('/users/:id/access', (ctx) => saveAccess(ctx, services));
  router.post('/users/:id/deactivate', (ctx) => setActive(ctx, services, false));
  router.post('/users/:id/reactivate', (ctx) => setActive(ctx, services, true));
  router.post('/users/:id/unlock', (ctx) => unlockUser(ctx, services));
  router.post('/users/:id/forget-devices', (ctx) => forgetDevices(ctx, services));
  router.post('/users/:id/end-sessions', (ctx) => endSessions(ctx, services));
}
