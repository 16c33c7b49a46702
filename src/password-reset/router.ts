// Password reset by emailed code, and the set-password page of an invitation:
//
//   GET  /password-reset[?return=/interaction/<uid>]   the address form
//   POST /password-reset                               → code stored (and emailed if the account exists) → 303 /code
//   GET  /password-reset/code          POST (code)     → 303 /new-password once the code is right
//   GET  /password-reset/new-password  POST (password) → 303 /done (never signed in)
//   GET  /password-reset/done
//   GET  /password-reset/invitation/:token  POST       (see invitation.ts)
//
// The reset lives in the store, bound to this browser by a signed cookie (reset-cookie.ts); every
// form carries a CSRF token.
import { t } from '../i18n/request.js';
import { ruleText } from '../i18n/password-rules.js';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { UserDoc } from '../accounts/service.js';
import { readDeviceId } from '../http/device-cookie.js';
import { csrfProtection } from '../http/middleware/csrf.js';
import { formBody, formField } from '../http/middleware/form-body.js';
import { registerInvitationRoutes } from './invitation-routes.js';
import { renderPasswordForm, requestInfo } from './page.js';
import { clearResetCookie, newResetToken, readResetCookie, writeResetCookie, type ResetBinding } from './reset-cookie.js';
import { findResetChallenge } from './reset-challenge.js';
import { safeReturnPath, withReturn } from './return-path.js';
import { completeReset, requestReset, resetAccount, submitResetCode } from './service.js';

import type { Render } from '../http/render.js';
import type { RateLimits } from '../security/rate-limits.js';
import type { Config } from '../config/index.js';
import type { AuditLog } from '../audit/record.js';
import type { AccountService } from '../accounts/service.js';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import type Provider from 'oidc-provider';
import type { Logger } from '../observability/logger.js';
import { renderPage } from '../http/page.js';
/** What this module needs from the composition root (src/app/). */
export interface PasswordResetRouterDeps {
  /** Cookies we set carry Secure: the issuer is https. */
  secureCookies: boolean;
  accounts: AccountService;
  audit: AuditLog;
  config: Config;
  limits: RateLimits;
  mfa: Mfa;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  render: Render;
  /** The public issuer URL. */
  issuer: string;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  logger: Logger;
}

const BASE = '/password-reset';

export function createPasswordResetRouter(services: PasswordResetRouterDeps): Router {
  const router = new Router({ prefix: BASE });
  router.use(formBody(), csrfProtection({ secure: services.secureCookies }));

  const showRequest = (ctx: Context, returnPath: string | undefined, failure?: { email: string; error: string }) =>
    renderPage(ctx, services.render, 'password-reset/request', { title: t('reset:request.title'), returnPath, email: failure?.email ?? '', error: failure?.error ?? null }, failure ? 400 : 200);

  router.get('/', (ctx) => showRequest(ctx, safeReturnPath(ctx.query.return)));

  router.post('/', async (ctx) => {
    const returnPath = safeReturnPath(formField(ctx.state, 'return'));
    const email = formField(ctx.state, 'email').trim().slice(0, 254);
    if (!email.includes('@')) return showRequest(ctx, returnPath, { email, error: t('reset:request.no_address') });
    const binding: ResetBinding = { token: newResetToken(), ...(returnPath ? { returnPath } : {}) };
    await requestReset(services, binding.token, email, requestInfo(ctx));
    writeResetCookie(ctx, binding, services.secureCookies);
    ctx.status = 303;
    ctx.redirect(`${BASE}/code`);
  });

  router.get('/code', async (ctx) => {
    const reset = await currentReset(ctx);
    if (reset) await showCode(ctx, reset.binding);
  });

  router.post('/code', async (ctx) => {
    const reset = await currentReset(ctx);
    if (!reset) return;
    const { outcome, attemptsLeft } = await submitResetCode(services, reset.binding.token, formField(ctx.state, 'code'), { ...requestInfo(ctx), deviceId: readDeviceId(ctx) });
    if (outcome === 'ok') {
      ctx.status = 303;
      return ctx.redirect(`${BASE}/new-password`);
    }
    const text = outcome === 'malformed' ? t('reset:code.malformed')
      : outcome === 'wrong' && attemptsLeft > 0 ? t('reset:code.wrong', { count: attemptsLeft })
        : undefined; // burned, expired or used: the page says so from the stored state
    await showCode(ctx, reset.binding, text, 400);
  });

  router.get('/new-password', async (ctx) => {
    const reset = await verifiedReset(ctx);
    if (reset) await showNewPassword(ctx, reset.user);
  });

  router.post('/new-password', async (ctx) => {
    const reset = await verifiedReset(ctx);
    if (!reset) return;
    const password = formField(ctx.state, 'password');
    if (password !== formField(ctx.state, 'confirm')) return showNewPassword(ctx, reset.user, { error: t('password:mismatch') });
    const result = await completeReset(services, reset.binding.token, reset.user, password, requestInfo(ctx));
    if (result.status === 'weak') return showNewPassword(ctx, reset.user, { unmet: result.unmet.map((rule) => ruleText(rule, result.policy)) });
    clearResetCookie(ctx, services.secureCookies);
    if (result.status === 'gone') return showExpired(ctx, reset.binding.returnPath);
    ctx.status = 303;
    ctx.redirect(withReturn(`${BASE}/done`, reset.binding.returnPath));
  });

  router.get('/done', (ctx) => {
    // Always a way on: back to the app's sign-in when the reset started there, else the account
    // page (which signs in first). An accepted invitation is a first password, not a change.
    const invited = ctx.query.invited === '1';
    renderPage(ctx, services.render, 'password-reset/done', {
      title: invited ? t('reset:done.title_invited') : t('reset:done.title'),
      heading: invited ? t('reset:done.heading_invited') : t('reset:done.heading'),
      returnPath: safeReturnPath(ctx.query.return) ?? '/account',
    });
  });

  registerInvitationRoutes(router, services);
  return router;

  /** The reset this browser started, or an "expired" page (and undefined) when there is none. */
  async function currentReset(ctx: Context) {
    const binding = readResetCookie(ctx);
    const challenge = binding && await findResetChallenge(services, binding.token);
    if (!binding || !challenge) {
      showExpired(ctx, binding?.returnPath);
      return undefined;
    }
    return { binding, challenge };
  }

  /** A reset whose code was right, still within its time to choose a password, for an active account. */
  async function verifiedReset(ctx: Context) {
    const reset = await currentReset(ctx);
    if (!reset) return undefined;
    const user = reset.challenge.state === 'verified' ? await resetAccount(services, reset.challenge.accountId) : undefined;
    if (!user) {
      showExpired(ctx, reset.binding.returnPath);
      return undefined;
    }
    return { ...reset, user };
  }

  async function showCode(ctx: Context, binding: ResetBinding, errorText?: string, status = 200) {
    const challenge = (await findResetChallenge(services, binding.token))!;
    const closed: Record<string, string | undefined> = {
      burned: t('reset:code.burned'),
      expired: t('reset:code.expired'),
      verified: t('reset:code.verified'),
      used: t('reset:code.used'),
    };
    const closedText = closed[challenge.state];
    const notice = closedText ? { kind: 'error', text: closedText } : errorText ? { kind: 'error', text: errorText } : null;
    renderPage(ctx, services.render, 'password-reset/code', {
      title: t('reset:code.title'),
      destination: challenge.destination,
      notice,
      codeUsable: challenge.state === 'active',
      startAgain: withReturn(BASE, binding.returnPath),
      returnPath: binding.returnPath,
    }, status);
  }

  function showNewPassword(ctx: Context, user: UserDoc, failure?: { error?: string; unmet?: string[] }) {
    return renderPasswordForm(ctx, services, {
      user, action: `${BASE}/new-password`, heading: t('reset:new_password.heading'), submitLabel: t('reset:new_password.submit'),
      intro: t('reset:new_password.intro'), ...(failure ? { failure } : {}),
    });
  }

  function showExpired(ctx: Context, returnPath: string | undefined) {
    renderPage(ctx, services.render, 'password-reset/expired', {
      title: t('reset:expired.title'),
      heading: t('reset:expired.heading'),
      message: t('reset:expired.message'),
      startAgain: withReturn(BASE, returnPath),
    }, 400);
  }
}
