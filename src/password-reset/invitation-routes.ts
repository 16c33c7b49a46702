// The set-password page an invitation email links to: GET shows the practice's rules and the form,
// POST sets the password (then the link is used up) and shows the success page.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { messageFor } from '../accounts/password-policy/index.js';
import type { UserDoc } from '../accounts/service.js';
import { formField } from '../http/middleware/form-body.js';
import { acceptInvitation, findInvitation } from './invitation.js';
import { MISMATCH, renderPasswordForm, requestInfo } from './page.js';

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
    user, action: `/password-reset/invitation/${token}`, heading: 'Choose your password', submitLabel: 'Set password',
    intro: `Welcome, ${user.name}. Choose the password for your account (${user.email}).`, ...(failure ? { failure } : {}),
  });

  const invalid = (ctx: Context) => renderPage(ctx, services.render, 'password-reset/expired', {
    title: 'Link no longer valid',
    heading: 'This link is no longer valid',
    message: 'It was already used, has expired, or a password was set since it was sent. Ask your practice administrator for a new invitation, or use "Forgot password?" on the sign-in page.',
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
    if (password !== formField(ctx.state, 'confirm')) return show(ctx, token, user, { error: MISMATCH });
    const result = await acceptInvitation(services, token, user, password, requestInfo(ctx));
    if (result.status === 'weak') return show(ctx, token, user, { unmet: result.unmet.map((rule) => messageFor(rule, result.policy)) });
    if (result.status === 'gone') return invalid(ctx);
    ctx.status = 303;
    ctx.redirect('/password-reset/done?invited=1');
  });
}
