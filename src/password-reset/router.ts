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
import Router from '@koa/router';
import type { Context } from 'koa';
import { messageFor } from '../accounts/password-policy/index.js';
import type { UserDoc } from '../accounts/service.js';
import { readDeviceId } from '../http/device-cookie.js';
import { csrfProtection } from '../http/middleware/csrf.js';
import { formBody, formField } from '../http/middleware/form-body.js';
import { registerInvitationRoutes } from './invitation-routes.js';
import { MISMATCH, renderPasswordForm, requestInfo } from './page.js';
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
    renderPage(ctx, services.render, 'password-reset/request', { title: 'Reset your password', returnPath, email: failure?.email ?? '', error: failure?.error ?? null }, failure ? 400 : 200);

  router.get('/', (ctx) => showRequest(ctx, safeReturnPath(ctx.query.return)));

  router.post('/', async (ctx) => {
    const returnPath = safeReturnPath(formField(ctx.state, 'return'));
    const email = formField(ctx.state, 'email').trim().slice(0, 254);
    if (!email.includes('@')) return showRequest(ctx, returnPath, { email, error: 'Enter the email address you sign in with.' });
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
    const text = outcome === 'malformed' ? 'Enter the 6 digits from the email.'
      : outcome === 'wrong' && attemptsLeft > 0 ? `That code is not correct. You can try ${attemptsLeft === 1 ? 'once more' : `${attemptsLeft} more times`}.`
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
    if (password !== formField(ctx.state, 'confirm')) return showNewPassword(ctx, reset.user, { error: MISMATCH });
    const result = await completeReset(services, reset.binding.token, reset.user, password, requestInfo(ctx));
    if (result.status === 'weak') return showNewPassword(ctx, reset.user, { unmet: result.unmet.map((rule) => messageFor(rule, result.policy)) });
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
      title: invited ? 'Password set' : 'Password changed',
      heading: invited ? 'Your password is set' : 'Your password was changed',
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
      burned: 'Too many wrong codes: this code can no longer be used. Please start again to get a new one.',
      expired: 'This code has expired. Please start again to get a new one.',
      verified: 'This code was already used.',
      used: 'This code was already used. Please start again.',
    };
    const closedText = closed[challenge.state];
    const notice = closedText ? { kind: 'error', text: closedText } : errorText ? { kind: 'error', text: errorText } : null;
    renderPage(ctx, services.render, 'password-reset/code', {
      title: 'Check your email',
      destination: challenge.destination,
      notice,
      codeUsable: challenge.state === 'active',
      startAgain: withReturn(BASE, binding.returnPath),
      returnPath: binding.returnPath,
    }, status);
  }

  function showNewPassword(ctx: Context, user: UserDoc, failure?: { error?: string; unmet?: string[] }) {
    return renderPasswordForm(ctx, services, {
      user, action: `${BASE}/new-password`, heading: 'Choose a new password', submitLabel: 'Change password',
      intro: 'The code was right. Choose the new password for your account.', ...(failure ? { failure } : {}),
    });
  }

  function showExpired(ctx: Context, returnPath: string | undefined) {
    renderPage(ctx, services.render, 'password-reset/expired', {
      title: 'Reset expired',
      heading: 'This password reset has expired',
      message: 'It was finished, timed out, or was started in another browser. Please start again.',
      startAgain: withReturn(BASE, returnPath),
    }, 400);
  }
}
