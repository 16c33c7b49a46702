// The composition root: builds every service once (services.ts) and the Koa application in front of
// the mounted provider. Nothing else constructs services; each module receives the object built
// here through the narrow interface it declares itself.
//   request id + log + latency → security headers → language (src/i18n/request.ts) → errors → /metrics (token) → /healthz, /readyz → trusted proxies → client IP → /static → /dev/outbox (development) → /interaction/*
//   → /password-reset/* → /changes/* → /console/return → /account/* → /admin/* → body size limit → POST /token rate limit
//   → oidc-provider (/.well-known, /auth, /token…)
import Koa from 'koa';
import mount from 'koa-mount';
import type { Connection } from 'mongoose';
import type Provider from 'oidc-provider';
import type { AccountService } from '../accounts/service.js';
import type { PasswordHasher } from '../accounts/password.js';
import { createAccountRouter } from '../account/router.js';
import { createCheckpointPublisher, type CheckpointPublisher } from '../audit/checkpoint-publisher.js';
import type { AuditLog } from '../audit/record.js';
import type { Config } from '../config/index.js';
import { createAdminRouter } from '../admin/router.js';
import { createBrandingRouter, createPracticeLogoRouter } from '../admin/branding/routes.js';
import { createChangeLinksRouter } from '../changes/router.js';
import { consoleReturn } from '../console/guard.js';
import { limitBodySize } from '../http/middleware/body-limit.js';
import { clientIp } from '../http/middleware/client-ip.js';
import { devOutbox, OUTBOX_PATH } from '../http/middleware/dev-outbox.js';
import { errorHandler } from '../http/middleware/errors.js';
import { healthChecks } from '../http/middleware/health.js';
import { securityHeaders } from '../http/middleware/security-headers.js';
import { staticFiles } from '../http/middleware/static-files.js';
import { limitTokenRequests } from '../http/middleware/token-limit.js';
import { trustedProxies } from '../http/middleware/trusted-proxy.js';
import { VIEWS_DIR } from '../http/render.js';
import { createInteractionRouter } from '../interactions/router.js';
import type { Mfa } from '../mfa/index.js';
import type { Logger } from '../observability/logger.js';
import { metricsEndpoint } from '../observability/metrics-endpoint.js';
import type { Metrics } from '../observability/metrics.js';
import { observeRequests } from '../observability/requests.js';
import { jwksFingerprint, loadSigningJwks, pruneRetiredKeys } from '../oidc/keys.js';
import { postEndpointsAsGet } from '../oidc/post-endpoints.js';
import { CLIENT_AUTH_METHODS, CLIENT_AUTH_SIGNING_ALGS, createProvider } from '../oidc/provider.js';
import { verifyClientSecret } from '../oidc/clients.js';
import { createPasswordResetRouter } from '../password-reset/router.js';
import type { RateLimits } from '../security/rate-limits.js';
import { webauthnScripts } from '../http/middleware/webauthn-scripts.js';
import { languageScope } from '../i18n/request.js';
import { revokeWhatLogoutKept } from '../sessions/sign-out.js';
import { createSmartProviderDeps } from '../smart/provider-deps.js';
import { introspectJwtAccessTokens, publicJwksOf } from '../smart/introspection.js';
import { smartDiscovery } from '../smart/discovery.js';
import { launchApi } from '../smart/launch/api.js';
import type { Models } from '../store/models/index.js';
import { buildServices, type Services } from './services.js';

export type { Logger } from '../observability/logger.js';

export interface CreateAppOptions {
  config: Config;
  connection: Connection;
  logger: Logger;
  /** Milliseconds since the epoch; injected so tests control time. */
  clock?: () => number;
  /** Overrides config.issuer (tests learn their port only after listening). */
  issuer?: string;
}

export interface IdpApp {
  app: Koa;
  /** Every service, as built once by the root (tests and the demo hand it to the module they drive). */
  services: Services;
  /** The current provider; replaced when the signing key set changes. */
  readonly provider: Provider;
  models: Models;
  accounts: AccountService;
  hasher: PasswordHasher;
  /** Second factor: channels, codes, lockout, devices, networks, trusted IPs, risk. */
  mfa: Mfa;
  /** The hash-chained audit log every module records to. */
  audit: AuditLog;
  /** Present when METRICS_TOKEN is configured (served at GET /metrics). */
  metrics?: Metrics;
  /** Abuse limits shared by every instance (counters in the store). */
  limits: RateLimits;
  /** Publishes a checkpoint of the audit chain's head (main.ts: every AUDIT_CHECKPOINT_MINUTES and at shutdown). */
  auditCheckpoints: CheckpointPublisher;
  /** Drops expired retiring keys and, if the key set changed (e.g. rotated by the CLI), rebuilds the provider. */
  refreshSigningKeys(): Promise<boolean>;
}

export async function createApp({ config, connection, clock = Date.now, logger, issuer }: CreateAppOptions): Promise<IdpApp> {
  const publicIssuer = issuer ?? config.issuer;
  const services = await buildServices({ config, connection, logger, now: clock, issuer: publicIssuer, provider: () => current.provider });
  const { models, render, mfa, audit, limits, metrics, cookieKeys } = services;
  if (mfa.channels.outbox) {
    logger.info(`development outbox: one-time codes are printed here and listed at ${publicIssuer}${OUTBOX_PATH}`);
  }

  const buildProvider = async () => {
    const jwks = await loadSigningJwks(config, { models, now: clock });
    const provider = createProvider({ config, models, jwks, cookieKeys, render, logger, assessSignIn: mfa.assessSignIn, audit, now: clock, smart: createSmartProviderDeps(models, clock), ...(issuer ? { issuer } : {}) });
    return { provider, fingerprint: jwksFingerprint(jwks), keyCount: jwks.keys.length, mounted: mount(provider), publicJwks: publicJwksOf(jwks as { keys: Record<string, unknown>[] }) };
  };
  let current = await buildProvider();

  const app = new Koa();
  // Under a mount the provider signs cookies with the parent's keys: they must be the same.
  app.keys = [...cookieKeys];
  app.use(observeRequests({ logger, only: config.log.requests, ...(metrics ? { metrics } : {}) }));
  app.use(securityHeaders({ httpsIssuer: services.secureCookies }));
  // Before the error handler, so error pages are translated too.
  app.use(languageScope({ secureCookies: services.secureCookies }));
  app.use(errorHandler(render, logger));
  if (config.metrics && metrics) app.use(metricsEndpoint(metrics, config.metrics.token));
  app.use(healthChecks({ connection, signingKeysLoaded: () => current.keyCount > 0 }));
  app.use(trustedProxies(config.trustedProxies));
  app.use(clientIp(config.trustedProxies));
  app.use(staticFiles(`${VIEWS_DIR}static`));
  app.use(webauthnScripts());
  app.use(devOutbox(mfa.channels.outbox, config.production, render));
  app.use(createInteractionRouter(services).routes());
  app.use(createPasswordResetRouter(services).routes());
  app.use(createChangeLinksRouter(services).routes());
  app.use(consoleReturn(services));
  app.use(createAccountRouter(services).routes());
  app.use(createAdminRouter(services).routes());
  app.use(createBrandingRouter(services).routes());
  app.use(createPracticeLogoRouter(services).routes());
  app.use(limitBodySize());
  app.use(limitTokenRequests(limits));
  app.use(revokeWhatLogoutKept({ models, audit }, () => current.provider));
  app.use(postEndpointsAsGet(publicIssuer));
  app.use(smartDiscovery({
    issuer: publicIssuer, grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    tokenEndpointAuthMethods: CLIENT_AUTH_METHODS, tokenEndpointAuthSigningAlgs: CLIENT_AUTH_SIGNING_ALGS,
  }));
  app.use(launchApi({ models, now: clock, verifySecret: verifyClientSecret }));
  app.use(introspectJwtAccessTokens({ issuer: publicIssuer, models, publicJwks: () => current.publicJwks, now: clock, verifySecret: verifyClientSecret }));
  app.use((ctx, next) => current.mounted(ctx, next));

  return {
    app,
    services,
    get provider() {
      return current.provider;
    },
    models,
    accounts: services.accounts,
    hasher: services.hasher,
    mfa,
    audit,
    limits,
    auditCheckpoints: createCheckpointPublisher({
      models, auditLog: audit, now: clock, logger,
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
