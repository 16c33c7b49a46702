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
import Router from '@koa/router';
import { requireSignIn } from '../console/guard.js';
import { csrfProtection } from '../http/middleware/csrf.js';
import { formBody } from '../http/middleware/form-body.js';
import type { AppServices } from '../http/services.js';
import { registerActivityRoutes } from './activity.js';
import { registerAuthenticatorRoutes } from './authenticator.js';
import { registerDefaultFactorRoutes } from './default-factor.js';
import { registerDeviceRoutes } from './devices.js';
import { registerOverviewRoutes } from './overview.js';
import { registerPasswordRoutes } from './password.js';
import { registerPasskeyRoutes } from './passkeys.js';
import { registerPhoneRoutes } from './phone.js';
import { registerRecoveryCodeRoutes } from './recovery-codes.js';
import { registerSignOutRoutes } from './sign-out.js';
import { registerTwoStepRoutes } from './two-step.js';

export function createAccountRouter(services: AppServices): Router {
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
  return router;
}
