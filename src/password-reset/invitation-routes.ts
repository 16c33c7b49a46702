// The set-password page an invitation email links to: GET shows the practice's rules and the form,
// POST sets the password (then the link is used up) and shows the success page.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { t } from '../i18n/request.js';
import { ruleText } from '../i18n/password-rules.js';
import type { UserDoc } from '../accounts/service.js';
import { formField } from '../http/middleware/form-body.js';
import { acceptInvitation, findInvitation } from './invitation.js';
import { renderPasswordForm, requestInfo } from './page.js';

import type { Render } from '../http/render.js';
import type { AuditLog } from '../audit/record.js';
import type { AccountService } from '../accounts/service.js';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import type Provider from 'oidc-provider';
import type { Logger } from '../observability/logger.js';
import { renderPage } from '../http/page.js';
/** What this module needs from the composition root (src/app/). */
export interface PasswordResetInvitationRoutesDeps {
  accounts: AccountService;
  audit: AuditLog;
  /** The public issuer URL. */
  issuer: string;
  mfa: Mfa;
  render: Render;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  logger: Logger;
}

export function registerInvitationRoutes(router: Router, services: PasswordResetInvitationRoutesDeps): void {
  const show = (ctx: Context, token: string, user: UserDoc, failure?: { error?: string; unmet?: string[] }) => renderPasswordForm(ctx, services, {
    user, action: `/password-reset/invitation/${token}`, heading: t('reset:invitation.heading'), submitLabel: t('reset:invitation.submit'),
    intro: t('reset:invitation.intro', { name: user.name, email: user.email }), ...(failure ? { failure } : {}),
  });

  const invalid = (ctx: Context) => renderPage(ctx, services.render, 'password-reset/expired', {
    title: t('reset:invitation.invalid_title'),
    heading: t('reset:invitation.invalid_heading'),
    message: t('reset:invitation.invalid_message'),
  }, 400);

  router.get('/invitation/:token', async (ctx) => {
    const token = ctx.params.token ?? '';
    const user = await findInvitation(services, token);
    if (!user) return invalid(ctx);
    await show(ctx, token, user);
  });

  router.post('/invitation/:token', async (ctx) => {
    const token = ctx.params.token ?? '';
    const user = await findInvitation(services, token);
    if (!user) return invalid(ctx);
    const password = formField(ctx.state, 'password');
    if (password !== formField(ctx.state, 'confirm')) return show(ctx, token, user, { error: t('password:mismatch') });
    const result = await acceptInvitation(services, token, user, password, requestInfo(ctx));
    if (result.status === 'weak') return show(ctx, token, user, { unmet: result.unmet.map((rule) => ruleText(rule, result.policy)) });
    if (result.status === 'gone') return invalid(ctx);
    ctx.status = 303;
    ctx.redirect('/password-reset/done?invited=1');
  });
}
