// oidc-provider configuration: every option we rely on, set explicitly in one place.
import Provider, { errors, interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config/index.js';
import type { Render } from '../http/render.js';
import { LANGUAGES } from '../i18n/languages.js';
import type { Models } from '../store/models/index.js';
import { consoleClientMetadata } from '../console/client.js';
import type { AuditLog } from '../audit/record.js';
import { createSessionActivity } from '../sessions/activity.js';
import { signOutOnHint } from '../sessions/sign-out.js';
import { bindTokensToSignIn } from '../sessions/token-binding.js';
import { sessionTimeoutCheck } from '../sessions/login-check.js';
import { createFindAccount } from './account.js';
import { createRequestReads, type RequestReadsFor } from './request-reads.js';
import type { AssessSignIn } from '../mfa/sign-in-risk.js';
import { ACR_VALUES_SUPPORTED } from '../mfa/risk/acr.js';
import { installRequestedAcr, unmetAcrCheck } from './acr-request.js';
import { passwordRequiredCheck } from './passwordless-check.js';
import { createAdapterFactory } from './adapter.js';
import { installWriteBehind } from './write-behind.js';
import { installClientSecretVerifier } from './clients.js';
import { installSpecErrorCodes } from './error-codes.js';
import { pinUrlsToIssuer } from './issuer-urls.js';
import { createOutboundFetch } from './outbound-fetch.js';
import { keepRequestedOfflineAccess, OFFLINE_ACCESS_HOOK } from './offline-access.js';
import { dropNonceFromRefreshTokens } from './refresh-nonce.js';
import { installServiceTokenPolicy } from './service-tokens.js';
import { logProviderEvents, type EventLogger } from './events.js';
import { JWKS_MAX_AGE_SECONDS, type PrivateJwks } from './keys.js';
import { mfaPrompt } from './mfa-prompt.js';
import { createPracticeFor, PRACTICE_HINT, practiceIdOf, type PracticeFor } from './practice-choice.js';
import { createPracticeGrants } from './practice-grant.js';
import { practicePrompt } from './practice-prompt.js';
import { answerStoreOutages, providerPages } from './pages.js';
import { TTL } from '../sessions/ttl.js';
import { limitAssertionLifetime } from '../smart/client-assertion.js';
import { patientPrompt } from '../smart/picker/prompt.js';
import { checkLaunchParam, installLaunchContext, LAUNCH_PARAM } from '../smart/launch/provider-hooks.js';
import { AUD_PARAM, checkAudParam, SMART_SCOPES_METADATA, smartResourceIndicators, smartTokenClaims, type SmartProviderDeps } from '../smart/provider-options.js';

export interface ProviderDeps {
  config: Config;
  models: Models;
  jwks: PrivateJwks;
  cookieKeys: readonly string[];
  render: Render;
  logger: EventLogger;
  /** The risk assessment the mfa prompt asks (src/mfa/sign-in-risk.ts). */
  assessSignIn: AssessSignIn;
  /** Overrides config.issuer (tests learn their port only after listening). */
  issuer?: string;
  /** Where sign-outs are audited (src/sessions/sign-out.ts). */
  audit?: AuditLog;
  /** The app clock (ms) the session time-outs are judged by; default Date.now. */
  now?: () => number;
  /** SMART App Launch: registered FHIR servers and the claims of tokens for them (src/smart/). */
  smart: SmartProviderDeps;
}

export const SCOPES = ['openid', 'offline_access', 'email', 'profile', 'fhirUser'] as const;

/**
 * Scope → claims. acr, amr and auth_time ride on `openid` so they always reach the ID token.
 * `practice` and `roles` come with `profile` (one scope for "who you are at work"; a separate
 * `practice` scope would only add a consent line without protecting anything more).
 */
export const CLAIMS = {
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  email: ['email', 'email_verified'],
  profile: ['name', 'practice', 'roles'],
  // SMART App Launch: the FHIR resource of the user (src/smart/fhir-user.ts).
  fhirUser: ['fhirUser'],
};

/** Token endpoint client authentication; `none` = public clients (PKCE). */
export const CLIENT_AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
/** private_key_jwt assertion algorithms; RS384 and ES384 because SMART Backend Services requires them. */
export const CLIENT_AUTH_SIGNING_ALGS = ['RS256', 'RS384', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const;

export function createProvider(deps: ProviderDeps): Provider {
  const { config, models, jwks, cookieKeys, render, logger, assessSignIn } = deps;
  const issuer = deps.issuer ?? config.issuer;
  const secure = issuer.startsWith('https://');
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure } as const;
  // A module's logout with a valid id_token_hint for this session ends it without a second click.
  const pages = providerPages(render, signOutOnHint({ models, ...(deps.audit ? { audit: deps.audit } : {}) }, cookieOptions));
  const readsFor = createRequestReads(models);
  // Which practice each request enters (practice-choice.ts), and its grant bound to it (practice-grant.ts).
  const practiceFor = createPracticeFor(readsFor);
  const practiceGrants = createPracticeGrants({ models, readsFor, practiceFor, activity: createSessionActivity({ models, now: deps.now ?? Date.now }), now: deps.now ?? Date.now });
  // Refresh and access tokens live only as long as the sign-in they came from (src/sessions/), under
  // the idle time-out of the practice their grant entered.
  const tokens = bindTokensToSignIn(createFindAccount(readsFor, practiceFor), createSessionActivity({ models, now: deps.now ?? Date.now }), deps.now ?? Date.now, enteredReads(readsFor, practiceFor));

  const configuration: Configuration = {
    adapter: createAdapterFactory(models, readsFor),
    // Operator-registered modules come from the store (clients.ts); only our own console is here.
    clients: [consoleClientMetadata(issuer)],
    findAccount: tokens.findAccount,
    jwks: jwks as Configuration['jwks'],
    cookies: { keys: [...cookieKeys], long: cookieOptions, short: cookieOptions },
    scopes: [...SCOPES],
    claims: CLAIMS,
    acrValues: [...ACR_VALUES_SUPPORTED],
    // `none` only for the console client: it brings the session to a level, nothing is issued.
    responseTypes: ['code', 'none'],
    ttl: { ...TTL, RefreshToken: (ctx) => tokens.refreshTokenTtl(ctx), AccessToken: (ctx) => tokens.accessTokenTtl(ctx) },
    rotateRefreshToken: true,
    // Every code flow, confidential clients too (SMART App Launch 2 and OAuth 2.1 require it).
    pkce: { required: () => true },
    // No HS* anywhere and no client_secret_jwt: client secrets are stored hashed (see clients.ts).
    clientAuthMethods: [...CLIENT_AUTH_METHODS],
    // Client assertions live at most five minutes (SMART Backend Services; src/smart/client-assertion.ts).
    assertJwtClientAuthClaimsAndHeader: limitAssertionLifetime(deps.now ?? Date.now),
    // OIDC Core §3.1.2.1: redirect_uri is required even when the client registered only one.
    allowOmittingSingleRegisteredRedirectUri: false,
    // Pages, emails and texts in these languages; ui_locales chooses among them (src/i18n/).
    discovery: { ui_locales_supported: [...LANGUAGES] },
    // Runs after the scope filter, before the grant is loaded (offline-access.ts).
    // practice_hint: the practice to enter (practice-choice.ts).
    extraParams: { [PRACTICE_HINT]: null, [OFFLINE_ACCESS_HOOK]: keepRequestedOfflineAccess, [AUD_PARAM]: checkAudParam, [LAUNCH_PARAM]: checkLaunchParam(deps.smart.launches) },
    // fhirUser and the launch context on JWT access tokens for a FHIR server (src/smart/).
    extraTokenClaims: smartTokenClaims(deps.smart),
    enabledJWA: {
      clientAuthSigningAlgValues: [...CLIENT_AUTH_SIGNING_ALGS],
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      requestObjectSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      introspectionSigningAlgValues: ['RS256', 'ES256'],
      authorizationSigningAlgValues: ['RS256', 'ES256'],
    },
    extraClientMetadata: {
      properties: ['first_party', 'practice_id', SMART_SCOPES_METADATA],
      validator(_ctx, key, value) {
        if (key === 'first_party' && value !== undefined && typeof value !== 'boolean') {
          throw new errors.InvalidClientMetadata('first_party must be a boolean');
        }
      },
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      // A client may introspect or revoke only its own tokens.
      introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: pages.logoutSource, postLogoutSuccessSource: pages.postLogoutSuccessSource },
      registration: { enabled: false },
      // Only service clients (clients.ts `serviceAccess`) are registered for this grant.
      clientCredentials: { enabled: true },
      // Registered FHIR servers only, named by SMART's `aud` or `resource`; their tokens are JWTs (src/smart/).
      resourceIndicators: smartResourceIndicators(deps.smart),
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: signInPolicy(models, readsFor, practiceFor, assessSignIn, deps.now ?? Date.now),
    },
    loadExistingGrant: async (ctx) => practiceGrants.forPractice(ctx, await loadExistingGrant(ctx)),
    // The provider only fetches URLs an operator registered (back-channel logout, client jwks_uri):
    // registration and client-id metadata documents are off. outbound-fetch.ts checks each call's
    // addresses (public only in production, unless the client is registered internal); the
    // library's own special-use-IP guard (its `dispatcher`) is dropped, its 2.5 s timeout stays.
    fetch: createOutboundFetch({
      publicOnly: config.outbound.publicOnly,
      isInternal: async (url) => Boolean(await models.Client.exists({ internal: true, $or: [{ backchannelLogoutUri: url }, { jwksUri: url }] })),
      onRefused: (url, reason) => logger.warn(`[oidc] call to ${url.host} refused: ${reason}`),
    }) as unknown as Configuration['fetch'],
    renderError: pages.renderError,
  };

  const provider = new Provider(issuer, configuration);
  installClientSecretVerifier(provider);
  installSpecErrorCodes(provider);
  pinUrlsToIssuer(provider, issuer);
  installRequestedAcr(provider);
  dropNonceFromRefreshTokens(provider);
  // Apps may keep the JWKS this long; key rotation waits longer before a new key signs (keys.ts).
  provider.use(async (ctx, next) => {
    await next();
    if ((ctx as KoaContextWithOIDC).oidc?.route === 'jwks' && ctx.status === 200) ctx.set('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
  });
  installServiceTokenPolicy(provider);
  installLaunchContext(provider, deps.smart.launches, readsFor);
  installWriteBehind(provider, models.OidcRecord);
  practiceGrants.install(provider);
  logProviderEvents(provider, logger);
  answerStoreOutages(provider);
  return provider;
}

/**
 * login (password) → mfa (our prompt: risk engine, step-up) → consent → smart_patient (picker). The login prompt's own
 * essential-acr checks are dropped: they compare with the session's acr literally (an alias never
 * matches, and a password-only session would loop back to the password page); the mfa prompt
 * answers every acr request instead. A session past its idle time-out or lifetime needs the login
 * prompt again.
 */
function signInPolicy(models: Models, readsFor: RequestReadsFor, practiceFor: PracticeFor, assessSignIn: AssessSignIn, now: () => number) {
  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  login.checks.remove('essential_acr');
  login.checks.remove('essential_acrs');
  login.checks.add(unmetAcrCheck(), 0);
  // Idle time-out and absolute lifetime of the browser session (src/sessions/).
  login.checks.add(sessionTimeoutCheck(createSessionActivity({ models, now }), enteredReads(readsFor, practiceFor)));
  // A passkey-only session entering a practice that does not allow it: the password (passwordless-check.ts).
  login.checks.add(passwordRequiredCheck(readsFor, practiceFor));
  // login → select_account (the practice to enter) → mfa (that practice's rules) → consent.
  policy.add(practicePrompt(practiceFor), policy.findIndex((prompt) => prompt.name === 'login') + 1);
  policy.add(mfaPrompt(readsFor, practiceFor, assessSignIn), policy.findIndex((prompt) => prompt.name === 'select_account') + 1);
  // Last: a SMART standalone launch's patient, chosen in the FHIR server's picker (src/smart/picker/).
  policy.add(patientPrompt());
  return policy;
}

/**
 * The session's grant for this client; first-party modules get one on the spot with what they
 * asked for (they are part of the same EHR, so there is nothing to consent to).
 */
/**
 * The session reads, plus the practice the request enters: an authorization request's decided
 * practice, or a token's grant's. Its idle time-out applies (src/sessions/activity.ts).
 */
function enteredReads(readsFor: RequestReadsFor, practiceFor: PracticeFor) {
  return (ctx: object) => {
    const reads = readsFor(ctx);
    const oidcCtx = ctx as KoaContextWithOIDC;
    return {
      activity: reads.activity,
      practice: reads.practice,
      async enteredPractice() {
        const { oidc } = oidcCtx;
        const token = (oidc?.entities as { RefreshToken?: { grantId?: string }; AccessToken?: { grantId?: string }; AuthorizationCode?: { grantId?: string } } | undefined);
        const grantId = token?.RefreshToken?.grantId ?? token?.AuthorizationCode?.grantId ?? token?.AccessToken?.grantId;
        if (grantId) return (await reads.entry(grantId))?.practiceId;
        const accountId = oidc?.session?.accountId;
        if (!accountId || oidc.route === 'token' || oidc.route === 'userinfo') return undefined;
        return practiceIdOf((await practiceFor(oidcCtx, accountId)).decision);
      },
    };
  };
}

async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const client = oidc.client!;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(client.clientId);
  // A grant revoked since (sessions ended elsewhere, password changed) is simply gone.
  const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (client.first_party !== true) return existing;

  // A first-party grant follows what the module asks for (offline_access added later included).
  const granted = new Set(existing?.getOIDCScope().split(' '));
  const missing = [...oidc.requestParamOIDCScopes].filter((scope) => !granted.has(scope));
  if (existing && missing.length === 0 && oidc.requestParamClaims.size === 0) return existing;
  const grant = existing ?? new oidc.provider.Grant({ clientId: client.clientId, accountId: oidc.session!.accountId! });
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
  if (oidc.requestParamClaims.size > 0) grant.addOIDCClaims([...oidc.requestParamClaims]);
  await grant.save();
  return grant;
}
