// What every router of the app receives: the services built once by createApp. Routers take what
// they need from here instead of growing their own constructor lists.
import type Provider from 'oidc-provider';
import type { AccountService } from '../accounts/service.js';
import type { PasswordHasher } from '../accounts/password.js';
import type { AuditLog } from '../audit/record.js';
import type { Config } from '../config/index.js';
import type { Mfa } from '../mfa/index.js';
import type { RateLimits } from '../security/rate-limits.js';
import type { Models } from '../store/models/index.js';
import type { Render } from './render.js';

export interface AppServices {
  config: Config;
  /** The public issuer URL (tests learn it only after listening). */
  issuer: string;
  /** The current provider (it is rebuilt when signing keys rotate). */
  provider: () => Provider;
  models: Models;
  accounts: AccountService;
  hasher: PasswordHasher;
  render: Render;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  mfa: Mfa;
  audit: AuditLog;
  /** Cookies we set carry Secure: the issuer is https. */
  secureCookies: boolean;
  /** Abuse limits shared by every instance (src/security/rate-limits.ts). */
  limits: RateLimits;
}
