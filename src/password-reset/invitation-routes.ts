// The set-password page an invitation email links to: GET shows the practice's rules and the form,
// POST sets the password (then the link is used up) and shows the success page.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { t } from '../i18n/request.js';
import { ruleText } from '../i18n/password-rules.js';
import type { UserDoc } from '../accounts/service.js';
import { formField } from '../http/middleware/form-body.js';
import type { AppServices } from '../http/services.js';
import { acceptInvitation, findInvitation } from './invitation.js';
import { renderPage, renderPasswordForm, requestInfo } from './page.js';

export function registerInvitationRoutes(router: Router, services: AppServices): void {
  const show = (ctx: Context, token: string, user: UserDoc, failure?: { error?: string; unmet?: string[] }) => renderPasswordForm(ctx, services, {
    user, action: `/password-reset/invitation/${token}`, heading: t('reset:invitation.heading'), submitLabel: t('reset:invitation.submit'),
    intro: t('reset:invitation.intro', { name: user.name, email: user.email }), ...(failure ? { failure } : {}),
  });

  const invalid = (ctx: Context) => renderPage(ctx, services, 'password-reset/expired', {
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
