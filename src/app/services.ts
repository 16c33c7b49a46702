// The registry: every service of the provider, built once from config + store connection + logger
// + clock (like Ory Kratos' driver/registry_default.go). Modules never import this type: each
// declares the narrow interface it needs (`LoginDeps`, `AdminPageDeps`…) and this object, which
// has every field, is handed to them; TypeScript checks that it satisfies each one.
import type { Connection } from 'mongoose';
import type Provider from 'oidc-provider';
import { createAccountService, type AccountService } from '../accounts/service.js';
import { createPasswordHasher, type PasswordHasher } from '../accounts/password.js';
import { resolveAuditKeys } from '../audit/keys.js';
import { createAuditLog, type AuditLog } from '../audit/record.js';
import { withIdentityWideCopies } from '../audit/identity-wide.js';
import { activePracticesOf } from '../accounts/practice-joining.js';
import { auditLogLine } from '../audit/siem.js';
import type { Config } from '../config/index.js';
import { createRenderer, type Render } from '../http/render.js';
import { createMfa, type Mfa } from '../mfa/index.js';
import { sendAttackNotice } from '../notifications/attack-notice.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { resolveCookieKeys } from '../oidc/cookie-keys.js';
import { createRateLimits, type RateLimits } from '../security/rate-limits.js';
import type { AuditEntry } from '../store/models/audit-entry.js';
import { createModels, type Models } from '../store/models/index.js';

export interface ServiceOptions {
  config: Config;
  connection: Connection;
  logger: Logger;
  /** Milliseconds since the epoch; injected so tests control time. */
  now: () => number;
  /** The public issuer URL (tests learn it only after listening). */
  issuer: string;
  /** The current provider (rebuilt by the root when signing keys rotate). */
  provider: () => Provider;
}

export interface Services {
  config: Config;
  connection: Connection;
  logger: Logger;
  issuer: string;
  provider: () => Provider;
  now: () => number;
  models: Models;
  render: Render;
  hasher: PasswordHasher;
  audit: AuditLog;
  mfa: Mfa;
  accounts: AccountService;
  limits: RateLimits;
  /** Cookies we set carry Secure: the issuer is https. */
  secureCookies: boolean;
  cookieKeys: readonly string[];
  /** Present when METRICS_TOKEN is configured (served at GET /metrics). */
  metrics?: Metrics;
}

export async function buildServices({ config, connection, logger, now, issuer, provider }: ServiceOptions): Promise<Services> {
  const models = createModels(connection);
  const render = createRenderer();
  const metrics = config.metrics ? createMetrics() : undefined;
  // Every entry is also one JSON log line for a SIEM (src/audit/siem.ts; not in the pretty format a
  // developer reads), and counted when metrics are on.
  const onRecord = (entry: AuditEntry) => {
    if (config.log.format === 'json') logger.info('audit entry', { audit: auditLogLine(entry) });
    metrics?.countAuditEntry(entry);
  };
  // Identity-wide events (password, factors, lock) also go to every other practice the person is an active member of.
  const audit = withIdentityWideCopies(createAuditLog({ models: { AuditEntry: models.AuditEntry }, keys: resolveAuditKeys(config), now, onRecord }), activePracticesOf(models));
  const log = (line: string) => logger.info(line);
  const mfa = await createMfa({
    config, connection, models, now, audit, render, log,
    notifyAttack: (channels, notice) => sendAttackNotice(channels, models, notice, logger),
  });
  const hasher = createPasswordHasher(config.argon2);
  return {
    config, connection, logger, issuer, provider, now, models, render, hasher, audit, mfa,
    accounts: createAccountService({ models, hasher, now }),
    limits: createRateLimits({ connection, now, rules: config.rateLimits, audit }),
    secureCookies: issuer.startsWith('https://'),
    cookieKeys: await resolveCookieKeys(config, models, now),
    ...(metrics ? { metrics } : {}),
  };
}
