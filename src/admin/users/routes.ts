// User management under /admin/users (one file per action):
//
// GET  /users                     list, search (?q=) and paging (?page=)       list.ts
// GET  /users/new, POST /users    create, then email an invitation             create.ts
// GET  /users/:id                 the user's page (profile, pending changes, actions)  overview.ts
//                                 (an invited person's: what the admin typed; resend, cancel)  invited.ts
// POST /users/:id/invitation/resend | /cancel                                  invited.ts
// GET  /users/:id/profile, POST /profile | /email | /phone
//                                 name and role; a new email or phone (waits for its proof)  profile.ts
// GET  /users/:id/changes/:change, POST the same
//                                 a pending change: texted code, approve, refuse, withdraw  change.ts
// GET  /users/:id/access, POST the same
//                                 "Save access for user": two-step sign-in and its channel  access.ts
// POST /users/:id/deactivate | /reactivate                                      active.ts
//      (deactivate, forget-devices and end-sessions show a confirmation page first: ../confirm/)
// POST /users/:id/unlock          lift an account lock                          unlock.ts
// POST /users/:id/forget-devices  forget every known device                     devices.ts
// POST /users/:id/end-sessions    sign the user out everywhere                  sessions.ts
//
// Every :id is looked up within the admin's practice: another practice's id is a 404. A person who
// also works for another practice keeps their identity fields (shared-identity.ts): name, email,
// phone, FHIR user and factors are refused; role, access, status, devices and sessions are not.
//
// Sensitive actions (email, phone, role, two-step sign-in, approving another admin's change) ask
// the admin for a fresh second factor: the page showing the form and its POST alike, so a stale
// POST is sent back to the form, which asks for the code first.
import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { FRESH_FACTOR_SECONDS } from '../../account/page.js';
import { requireSignIn } from '../../console/guard.js';
import { CODE_TTL_MS } from '../../mfa/otp/index.js';
import { confirmFirst } from '../confirm/index.js';
import { confirmDeactivate, confirmEndSessions, confirmForgetDevices } from '../confirm/users.js';
import { saveAccess, showAccess } from './access.js';
import { setActive } from './active.js';
import { createUser, showNewUser } from './create.js';
import { forgetDevices } from './devices.js';
import { removeFactor } from './factors.js';
import { actOnChange, showChange } from './change.js';
import { showUser } from './overview.js';
import { requestEmailChange, requestPhoneChange, saveNameAndRole, showProfile } from './profile.js';
import { saveFhirUser } from './fhir-user.js';
import { cancelInvited, resendInvited } from './invited.js';
import { listUsers } from './list.js';
import { identityFieldsGuard } from './shared-identity.js';
import { endSessions } from './sessions.js';
import { unlockUser } from './unlock.js';

import type { RateLimits } from '../../security/rate-limits.js';
import type { AccountService } from '../../accounts/service.js';
import type Provider from 'oidc-provider';
import type { Mfa } from '../../mfa/index.js';
import type { Models } from '../../store/models/index.js';
import type { Render } from '../../http/render.js';
import type { Config } from '../../config/index.js';
import type { AuditLog } from '../../audit/record.js';
import type { Logger } from '../../observability/logger.js';
/** What this module needs from the composition root (src/app/). */
export interface UsersRoutesDeps {
  accounts: AccountService;
  /** The public issuer URL. */
  issuer: string;
  limits: RateLimits;
  mfa: Mfa;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  /** Cookies we set carry Secure: the issuer is https. */
  secureCookies: boolean;
  audit: AuditLog;
  config: Config;
  render: Render;
  logger: Logger;
}

export function registerUserRoutes(router: Router, services: UsersRoutesDeps): void {
  router.get('/users', (ctx) => listUsers(ctx, services));
  router.get('/users/new', (ctx) => showNewUser(ctx, services));
  router.post('/users', (ctx) => createUser(ctx, services));
  const fresh = requireSignIn(services, { maxAgeSeconds: FRESH_FACTOR_SECONDS });
  // Identity fields of a person who also works for another practice are theirs, not this admin's.
  const identity = identityFieldsGuard(services);
  // A texted code may be typed within its own lifetime after the fresh sign-in that sent it.
  const freshForCode = requireSignIn(services, { maxAgeSeconds: FRESH_FACTOR_SECONDS + CODE_TTL_MS / 1000 });
  const freshUnlessCode = (ctx: Context, next: Next) => (['code', 'resend'].includes(String(ctx.state.form?.action)) ? freshForCode : fresh)(ctx, next);
  const backToProfile = (ctx: Context) => {
    ctx.status = 303;
    ctx.redirect(`/admin/users/${encodeURIComponent(String(ctx.params.id))}/profile`);
  };

  router.get('/users/:id', (ctx) => showUser(ctx, services));
  router.post('/users/:id/invitation/resend', (ctx) => resendInvited(ctx, services));
  router.post('/users/:id/invitation/cancel', (ctx) => cancelInvited(ctx, services));
  router.get('/users/:id/profile', fresh, (ctx) => showProfile(ctx, services));
  router.post('/users/:id/profile', fresh, identityFieldsGuard(services, { nameOnly: true }), (ctx) => saveNameAndRole(ctx, services));
  // A POST sent back by the sign-in gate lands as a GET: to the form.
  router.get('/users/:id/email', backToProfile);
  router.post('/users/:id/email', fresh, identity, (ctx) => requestEmailChange(ctx, services));
  router.get('/users/:id/phone', backToProfile);
  router.post('/users/:id/phone', fresh, identity, (ctx) => requestPhoneChange(ctx, services));
  router.post('/users/:id/fhir-user', fresh, identity, (ctx) => saveFhirUser(ctx, services));
  router.get('/users/:id/changes/:change', fresh, (ctx) => showChange(ctx, services));
  router.post('/users/:id/changes/:change', freshUnlessCode, (ctx) => actOnChange(ctx, services));
  router.get('/users/:id/access', fresh, (ctx) => showAccess(ctx, services));
  router.post('/users/:id/access', fresh, (ctx) => saveAccess(ctx, services));
  // Destructive: a confirmation page first (src/admin/confirm/), then the action.
  router.post('/users/:id/deactivate', confirmFirst(services, confirmDeactivate(services)), (ctx) => setActive(ctx, services, false));
  router.post('/users/:id/reactivate', (ctx) => setActive(ctx, services, true));
  router.post('/users/:id/unlock', (ctx) => unlockUser(ctx, services));
  router.post('/users/:id/forget-devices', confirmFirst(services, confirmForgetDevices(services)), (ctx) => forgetDevices(ctx, services));
  // Removing a second factor is a 2FA change like the user's own (/account): a fresh second factor.
  // The gate sends a lapsed POST back as a GET: to the user's page, where the form is.
  router.get('/users/:id/factors/:factor/remove', (ctx) => {
    ctx.status = 303;
    ctx.redirect(`/admin/users/${encodeURIComponent(String(ctx.params.id))}`);
  });
  router.post('/users/:id/factors/:factor/remove', fresh, identity, (ctx) => removeFactor(ctx, services));
  router.post('/users/:id/end-sessions', confirmFirst(services, confirmEndSessions(services)), (ctx) => endSessions(ctx, services));
}
