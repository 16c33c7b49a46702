// What every interaction step receives, and the helpers they share.
import type { Context } from 'koa';
import type { Logger } from '../observability/logger.js';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import type { PasswordHasher } from '../accounts/password.js';
import { PRACTICE_CHOSEN } from '../oidc/practice-choice.js';
import type { AuditLog } from '../audit/record.js';
import { CONSOLE_CLIENT_ID } from '../console/client.js';
import { type AppError, appError } from '../errors.js';
import type { Render } from '../http/render.js';
import { t, useUiLocales } from '../i18n/request.js';
import { requestOrigin } from '../net/request-origin.js';
import type { Mfa } from '../mfa/index.js';
import type { RateLimits } from '../security/rate-limits.js';
import type { Models } from '../store/models/index.js';
import { currentReads } from '../oidc/request-reads.js';

export interface InteractionDeps {
  /** The current provider (it is rebuilt when signing keys rotate). */
  provider: () => Provider;
  models: Models;
  hasher: PasswordHasher;
  render: Render;
  now: () => number;
  mfa: Mfa;
  audit: AuditLog;
  /** Cookies we set (device cookie) carry Secure: the issuer is https. */
  secureCookies: boolean;
  /** Abuse limits (sign-in, code entry, code resend). */
  limits: RateLimits;
  /** Where a security notice that could not be mailed is reported. */
  logger: Logger;
}

export type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

export interface Step {
  /** The oidc-provider prompt this step answers. */
  prompt: string;
  show(ctx: Context, details: InteractionDetails, deps: InteractionDeps): Promise<void>;
  /** Extra POST actions under /interaction/:uid/<action>. */
  actions: Record<string, (ctx: Context, details: InteractionDetails, deps: InteractionDeps) => Promise<void>>;
}

export async function loadInteraction(ctx: Context, deps: InteractionDeps): Promise<InteractionDetails> {
  let details: InteractionDetails;
  try {
    details = await deps.provider().interactionDetails(ctx.req, ctx.res);
  } catch (err) {
    throw expired(err);
  }
  if (details.uid !== ctx.params.uid) throw expired();
  useUiLocales(details.params.ui_locales);
  return details;
}

/**
 * Hands the result to the provider and sends the browser back to the authorization flow. What the
 * provider's interactionResult does, on the interaction this request already loaded (it would read
 * it from the store a second time): the result replaces any earlier one, the expiry is kept.
 */
export async function finish(ctx: Context, details: InteractionDetails, result: InteractionResults): Promise<void> {
  // The practice chosen earlier in this authorization (a previous prompt's answer) stays chosen.
  const chosen = (details.lastSubmission as Record<string, unknown> | undefined)?.[PRACTICE_CHOSEN];
  details.result = chosen && !('error' in result) && !(PRACTICE_CHOSEN in result) ? { ...result, [PRACTICE_CHOSEN]: chosen } : result;
  await details.save(details.exp - Math.floor(Date.now() / 1000));
  ctx.status = 303;
  ctx.redirect(details.returnTo);
}

/** The app the user is signing in to, as our client registry describes it. */
export async function describeClient(deps: InteractionDeps, details: InteractionDetails): Promise<{ id: string; name: string; firstParty: boolean }> {
  const id = String(details.params.client_id ?? '');
  // The console (/account, /admin) is "your account", in the page's language.
  if (id === CONSOLE_CLIENT_ID) return { id, name: t('common:your_account'), firstParty: true };
  // Shared with the read of the interaction (read-ahead): no second round trip.
  const client = await currentReads(deps.models).client(id);
  return { id, name: client?.name ?? t('common:your_application'), firstParty: client?.firstParty === true };
}

/** Who and where, for the audit log: client IP (trusted proxies honoured), user agent, app. */
export function requestInfo(ctx: Context, details: InteractionDetails): { ip?: string; userAgent?: string; clientId?: string } {
  return {
    ...requestOrigin(ctx),
    ...(typeof details.params.client_id === 'string' ? { clientId: details.params.client_id } : {}),
  };
}

function expired(cause?: unknown): AppError {
  return appError('interaction_expired', {
    detail: 'interaction not found or expired',
    cause,
  });
}
