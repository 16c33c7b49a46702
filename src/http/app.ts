// The Koa application: our middleware and interaction routes in front of the mounted provider.
//   request id + log + latency → security headers → language (src/i18n/request.ts) → errors → /metrics (token) → /healthz, /readyz → trusted proxies → client IP → /static → /dev/outbox (development) → /interaction/*
//   → /password-reset/* → /changes/* → /console/return → /account/* → /admin/* → body size limit → POST /token rate limit
//   → oidc-provider (/.well-known, /auth, /token…)
import Koa from 'koa';
import mount from 'koa-mount';
import type { Connection } from 'mongoose';
import type Provider from 'oidc-provider';
import { createAccountService, type AccountService } from '../accounts/service.js';
import { createPasswordHasher, type PasswordHasher } from '../accounts/password.js';
import type { Config } from '../config/index.js';
import { createAccountRouter } from '../account/router.js';
import { createCheckpointPublisher, type CheckpointPublisher } from '../audit/checkpoint-publisher.js';
import { auditLogLine } from '../audit/siem.js';
import type { AuditEntry } from '../store/models/audit-entry.js';
import { createAdminRouter } from '../admin/router.js';
import { createBrandingRouter, createPracticeLogoRouter } from '../admin/branding/routes.js';
import { createChangeLinksRouter } from '../changes/router.js';
import { consoleReturn } from '../console/guard.js';
import { createInteractionRouter } from '../interactions/router.js';
import { createPasswordResetRouter } from '../password-reset/router.js';
import { createMfa, type Mfa } from '../mfa/index.js';
import { resolveCookieKeys } from '../oidc/cookie-keys.js';
import { jwksFingerprint, loadSigningJwks, pruneRetiredKeys } from '../oidc/keys.js';
import { createProvider } from '../oidc/provider.js';
import { postEndpointsAsGet } from '../oidc/post-endpoints.js';
import { createRateLimits, type RateLimits } from '../security/rate-limits.js';
import { limitBodySize } from '../security/body-limit.js';
import { limitTokenRequests } from '../security/token-limit.js';
import { createModels, type Models } from '../store/models/index.js';
import { clientIp } from './middleware/client-ip.js';
import { devOutbox, OUTBOX_PATH } from './middleware/dev-outbox.js';
import { errorHandler } from './middleware/errors.js';
import { healthChecks } from './middleware/health.js';
import { securityHeaders } from './middleware/security-headers.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { metricsEndpoint } from '../observability/metrics-endpoint.js';
import { observeRequests } from '../observability/requests.js';
import { staticFiles } from './middleware/static-files.js';
import { trustedProxies } from './middleware/trusted-proxy.js';
import { createRenderer, VIEWS_DIR } from './render.js';
import { languageScope } from '../i18n/request.js';
import type { AppServices } from './services.js';
import { revokeWhatLogoutKept } from '../sessions/sign-out.js';

export type { Logger } from '../observability/logger.js';

export interface CreateAppOptions {
  config: Config;
  connection: Connection;
  /** Milliseconds since the epoch; injected so tests control time. */
  clock?: () => number;
  logger?: Logger;
  /** Overrides config.issuer (tests learn their port only after listening). */
  issuer?: string;
}

export interface IdpApp {
  app: Koa;
  /** The current provider; replaced when the signing key set changes. */
  readonly provider: Provider;
  models: Models;
  accounts: AccountService;
  hasher: PasswordHasher;
  /** Second factor: channels, codes, lockout, devices, networks, trusted IPs, risk, audit. */
  mfa: Mfa;
  /** Present when METRICS_TOKEN is configured (served at GET /metrics). */
  metrics?: Metrics;
  /** Abuse limits shared by every instance (counters in the store). */
  limits: RateLimits;
  /** Publishes a checkpoint of the audit chain's head (main.ts: every AUDIT_CHECKPOINT_MINUTES and at shutdown). */
  auditCheckpoints: CheckpointPublisher;
  /** Drops expired retiring keys and, if the key set changed (e.g. rotated by the CLI), rebuilds the provider. */
  refreshSigningKeys(): Promise<boolean>;
}

export async function createApp({ config, connection, clock = Date.now, logger = console, issuer }: CreateAppOptions): Promise<IdpApp> {
  const models = createModels(connection);
  const render = createRenderer();
  const hasher = createPasswordHasher(config.argon2);
  const cookieKeys = await resolveCookieKeys(config, models, clock);
  const metrics = config.metrics ? createMetrics() : undefined;
  // Every entry is also one JSON log line for a SIEM (src/audit/siem.ts; not in the pretty format a
  // developer reads), and counted when metrics are on.
  const onAuditRecord = (entry: AuditEntry) => {
    if (config.log.format === 'json') logger.info('audit entry', { audit: auditLogLine(entry) });
    metrics?.countAuditEntry(entry);
  };
  const mfa = await createMfa({ config, connection, models, now: clock, log: (line) => logger.info(line), onAuditRecord });
  const publicIssuer = issuer ?? config.issuer;
  if (mfa.channels.outbox) {
    logger.info(`development outbox: one-time codes are printed here and listed at ${publicIssuer}${OUTBOX_PATH}`);
  }

  const buildProvider = async () => {
    const jwks = await loadSigningJwks(config, { models, now: clock });
    const provider = createProvider({ config, models, jwks, cookieKeys, render, logger, assessSignIn: mfa.assessSignIn, audit: mfa.audit, now: clock, ...(issuer ? { issuer } : {}) });
    return { provider, fingerprint: jwksFingerprint(jwks), keyCount: jwks.keys.length, mounted: mount(provider) };
  };
  let current = await buildProvider();

  const app = new Koa();
  // Under a mount the provider signs cookies with the parent's keys: they must be the same.
  app.keys = [...cookieKeys];
  app.use(observeRequests({ logger, only: config.log.requests, ...(metrics ? { metrics } : {}) }));
  app.use(securityHeaders({ httpsIssuer: publicIssuer.startsWith('https://') }));
  app.use(languageScope({ secureCookies: publicIssuer.startsWith('https://') }));
  app.use(errorHandler(render, logger));
  if (config.metrics && metrics) app.use(metricsEndpoint(metrics, config.metrics.token));
  app.use(healthChecks({ connection, signingKeysLoaded: () => current.keyCount > 0 }));
  app.use(trustedProxies(config.trustedProxies));
  app.use(clientIp(config.trustedProxies));
  app.use(staticFiles(`${VIEWS_DIR}static`));
  app.use(devOutbox(mfa.channels.outbox, config.production, render));
  const secureCookies = publicIssuer.startsWith('https://');
  const accounts = createAccountService({ models, hasher, now: clock });
  const limits = createRateLimits({ connection, now: clock, rules: config.rateLimits, audit: mfa.audit });
  const services: AppServices = {
    config, issuer: publicIssuer, provider: () => current.provider, models, accounts, hasher, render, now: clock, mfa, audit: mfa.audit, secureCookies, limits,
  };
  const interactions = createInteractionRouter(services, { secureCookies });
  app.use(interactions.routes());
  app.use(createPasswordResetRouter(services).routes());
  app.use(createChangeLinksRouter(services).routes());
  app.use(consoleReturn(services));
  app.use(createAccountRouter(services).routes());
  app.use(createAdminRouter(services).routes());
  app.use(createBrandingRouter(services).routes());
  app.use(createPracticeLogoRouter(services).routes());
  app.use(limitBodySize());
  app.use(limitTokenRequests(limits));
  app.use(revokeWhatLogoutKept({ models, audit: mfa.audit }, () => current.provider));
  app.use(postEndpointsAsGet(publicIssuer));
  app.use((ctx, next) => current.mounted(ctx, next));

  return {
    app,
    get provider() {
      return current.provider;
    },
    models,
    accounts,
    hasher,
    mfa,
    limits,
    auditCheckpoints: createCheckpointPublisher({
      models, auditLog: mfa.audit, now: clock, logger,
      ...(config.audit.checkpointFile ? { file: config.audit.checkpointFile } : {}),
      ...(config.audit.checkpointUrl ? { url: config.audit.checkpointUrl } : {}),
    }),
    ...(metrics ? { metrics } : {}),
    async refreshSigningKeys() {
      await pruneRetiredKeys({ models, now: clock });
      const jwks = await loadSigningJwks(config, { models, now: clock });
      if (jwksFingerprint(jwks) === current.fingerprint) return false;
      current = await buildProvider();
      logger.info('signing keys changed: provider reloaded');
      return true;
    },
  };
}
