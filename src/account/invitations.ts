// GET /account/invitations/:token: the emailed link to join a practice lands here after sign-in
// (the console gate signs the person in and comes back). The link works only for the identity it
// was sent to: anyone else signed in sees the same "cannot be used" page as for a used, expired or
// withdrawn link, and nothing about whom it was for. POST the same URL: accept or decline.
import { t } from '../i18n/request.js';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { createPracticeJoining } from '../accounts/practice-joining.js';
import { acceptWithLink, declineInvitation } from '../commands/join-practice.js';
import { signedIn } from '../console/guard.js';
import type { AuditLog } from '../audit/record.js';
import type { Render } from '../http/render.js';
import type { Logger } from '../observability/logger.js';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import { formText, renderAccountPage, requestWhere } from './page.js';

/** What this module needs from the composition root (src/app/). */
export interface AccountInvitationDeps {
  audit: AuditLog;
  models: Models;
  /** The public issuer URL. */
  issuer: string;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  render: Render;
  logger: Logger;
  mfa: Mfa;
}

export function registerInvitationRoutes(router: Router, services: AccountInvitationDeps): void {
  const joining = createPracticeJoining(services);
  const deps = { audit: services.audit, joining };
  const unusable = (ctx: Context) => renderAccountPage(ctx, services, 'invitation-invalid', {
    title: t('members:account.invalid_title'),
  }, 400);

  router.get('/invitations/:token', async (ctx) => {
    const { user } = signedIn(ctx);
    const invitation = await joining.invitations.find(ctx.params.token ?? '', user._id);
    const practice = invitation ? await services.models.Practice.findById(invitation.practiceId, { name: 1 }).lean() : null;
    if (!invitation || !practice) return unusable(ctx);
    renderAccountPage(ctx, services, 'invitation', {
      title: t('members:account.invitation_title', { practice: practice.name }),
      invitation: { practice: practice.name, role: t(`members:roles.${invitation.role}`), email: user.email, action: ctx.path },
    });
  });

  router.post('/invitations/:token', async (ctx) => {
    const { user } = signedIn(ctx);
    const token = ctx.params.token ?? '';
    if (formText(ctx, 'action', 10) === 'decline') {
      const invitation = await joining.invitations.take(token, user._id);
      if (!invitation) return unusable(ctx);
      await declineInvitation(deps, user, invitation.practiceId, requestWhere(ctx));
      return redirectTo(ctx, 'declined');
    }
    if (!(await acceptWithLink(deps, user, token, requestWhere(ctx)))) return unusable(ctx);
    redirectTo(ctx, 'joined');
  });
}

/** To the person's practices with a notice (practices.ts reads it). */
export function redirectTo(ctx: Context, notice: string): void {
  ctx.status = 303;
  ctx.redirect(`/account/practices?notice=${notice}`);
}
