// The signed-in user's own settings under /account, secured by the provider's browser session
// (requireSignIn: a page after the idle time-out signs in again). Every form is CSRF-checked.
// Second-factor settings (two-step on/off, channel, phone) need a fresh password-and-code sign-in.
//
//   GET  /account                    overview (and "sign out everywhere")
//   GET  /account/password           change password       POST the same
//   GET  /account/two-step           two-step on/off, channel (fresh factor)   POST the same
//   GET  /account/phone              add/change the phone (fresh factor)       POST sends a code
//   POST /account/phone/verify       the texted code saves the number
//   GET  /account/authenticator      authenticator app (fresh factor)  POST confirms, /authenticator/remove
//   GET  /account/passkeys           passkeys and security keys (fresh factor): add, rename, remove
//   GET  /account/default-factor     which second factor the sign-in offers first (fresh factor)
//   GET  /account/recovery-codes     recovery codes (fresh factor)     POST makes a new set, shown once
//   GET  /account/devices            known devices         POST /devices/:id/forget, /devices/forget-all
//   GET  /account/activity           recent sign-ins
//   POST /account/sign-out-everywhere
//   GET  /account/practices          memberships, invitations, default practice, leave (practices.ts)
//   GET  /account/invitations/:token the emailed link to join a practice: accept or decline (invitations.ts)
import Router from '@koa/router';
import { requireSignIn } from '../console/guard.js';
import { csrfProtection } from '../http/middleware/csrf.js';
import { formBody } from '../http/middleware/form-body.js';
import { registerActivityRoutes } from './activity.js';
import { registerAuthenticatorRoutes } from './authenticator.js';
import { registerDefaultFactorRoutes } from './default-factor.js';
import { registerDeviceRoutes } from './devices.js';
import { registerInvitationRoutes } from './invitations.js';
import { registerOverviewRoutes } from './overview.js';
import { registerPracticeRoutes } from './practices.js';
import { registerPasswordRoutes } from './password.js';
import { registerPasskeyRoutes } from './passkeys.js';
import { registerPhoneRoutes } from './phone.js';
import { registerRecoveryCodeRoutes } from './recovery-codes.js';
import { registerSignOutRoutes } from './sign-out.js';
import { registerTwoStepRoutes } from './two-step.js';

import type { Render } from '../http/render.js';
import type { Config } from '../config/index.js';
import type { AuditLog } from '../audit/record.js';
import type { PasswordHasher } from '../accounts/password.js';
import type Provider from 'oidc-provider';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import type { AccountService } from '../accounts/service.js';
import type { Logger } from '../observability/logger.js';
/** What this module needs from the composition root (src/app/). */
export interface AccountRouterDeps {
  /** Cookies we set carry Secure: the issuer is https. */
  secureCookies: boolean;
  audit: AuditLog;
  config: Config;
  hasher: PasswordHasher;
  /** The public issuer URL. */
  issuer: string;
  mfa: Mfa;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  render: Render;
  accounts: AccountService;
  logger: Logger;
}

export function createAccountRouter(services: AccountRouterDeps): Router {
  const router = new Router({ prefix: '/account' });
  router.use(formBody(), csrfProtection({ secure: services.secureCookies }), requireSignIn(services));
  registerOverviewRoutes(router, services);
  registerPasswordRoutes(router, services);
  registerTwoStepRoutes(router, services);
  registerPhoneRoutes(router, services);
  registerAuthenticatorRoutes(router, services);
  registerPasskeyRoutes(router, services);
  registerDefaultFactorRoutes(router, services);
  registerRecoveryCodeRoutes(router, services);
  registerDeviceRoutes(router, services);
  registerActivityRoutes(router, services);
  registerSignOutRoutes(router, services);
  registerPracticeRoutes(router, services);
  registerInvitationRoutes(router, services);
  return router;
}
