// GET/POST /account/password: a new password, proven by the current one (argon2id verify). The
// rules are shown before typing and the unmet ones named after. A wrong current password counts
// toward the account lockout, so a borrowed session cannot be used to guess it. The change itself
// (policy check, hash, ending every other session and refresh token, audit `password.changed`,
// email) is changePassword's; this browser's session is kept.
import { t } from '../i18n/request.js';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { changePassword } from '../accounts/password-change.js';
import { describeRulesInLanguage } from '../i18n/password-rules.js';
import { signedIn } from '../console/guard.js';
import { AppError } from '../errors.js';
import { readDeviceId } from '../http/device-cookie.js';
import type { AuditLog } from '../audit/record.js';
import type { PasswordHasher } from '../accounts/password.js';
import type { Mfa } from '../mfa/index.js';
import { lockedMessage } from '../interactions/sign-in-outcome.js';
import { formText, redirectWithNotice, renderAccountPage, requestWhere } from './page.js';

import type { AccountService } from '../accounts/service.js';
import type Provider from 'oidc-provider';
import type { Models } from '../store/models/index.js';
import type { Render } from '../http/render.js';
import type { Logger } from '../observability/logger.js';
/** What this module needs from the composition root (src/app/). */
export interface AccountPasswordDeps {
  audit: AuditLog;
  hasher: PasswordHasher;
  mfa: Mfa;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  accounts: AccountService;
  models: Models;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  render: Render;
  logger: Logger;
}


export function registerPasswordRoutes(router: Router, services: AccountPasswordDeps): void {
  router.get('/password', (ctx) => showPassword(ctx, services));

  router.post('/password', async (ctx) => {
    const { user, sessionUid } = signedIn(ctx);
    const current = formText(ctx, 'current', 1024);
    const next = formText(ctx, 'password', 1024);
    const confirm = formText(ctx, 'confirm', 1024);
    const where = requestWhere(ctx);

    const source = { ip: where.ip, deviceId: readDeviceId(ctx) };
    const lock = await services.mfa.lockout.check(user, source);
    if (lock.locked) return showPassword(ctx, services, lockedMessage(lock.retryAt, services.now(), lock.reason, signedIn(ctx).practice.timeZone));
    const right = user.passwordHash ? await services.hasher.verify(user.passwordHash, current) : await services.hasher.verifyDummy(current);
    if (!right) {
      await services.audit.record({
        event: 'password.changed', outcome: 'failure', reasons: ['wrong_password'], practiceId: user.practiceId, userSub: user.sub, ...where,
      });
      await services.mfa.lockout.failed(user, { ...source, from: lock.from }, where);
      return showPassword(ctx, services, t('account:password.wrong_current'));
    }
    if (next !== confirm) return showPassword(ctx, services, t('account:password.mismatch'));
    if (next === current) return showPassword(ctx, services, t('account:password.same'));

    try {
      await changePassword(services, { user, newPassword: next, reason: 'change', keepSessionUid: sessionUid, ...where });
    } catch (err) {
      if (err instanceof AppError && err.status === 400) return showPassword(ctx, services, err.userMessage);
      throw err;
    }
    redirectWithNotice(ctx, '/account', 'password');
  });
}

async function showPassword(ctx: Context, services: AccountPasswordDeps, error?: string): Promise<void> {
  const { user } = signedIn(ctx);
  // One password for every practice: the strictest of the person's policies, naming who asked for what.
  const { policy, askedBy, practices } = await services.accounts.passwordPolicyForUser(user._id);
  const rules = describeRulesInLanguage(policy, practices > 1 ? askedBy : undefined).map(({ text }) => text);
  renderAccountPage(ctx, services, 'password', { title: t('account:password.title'), rules, error: error ?? null }, error ? 400 : 200);
}
