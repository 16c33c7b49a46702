// POST /account/sign-out-everywhere: ends every session of the user, this browser's included, with
// every grant and refresh token; each EHR module signed in through those sessions is told by
// back-channel logout. Audited as `session.ended_everywhere`, then reported by email.
import { t } from '../i18n/request.js';
import type Router from '@koa/router';
import { signedIn } from '../console/guard.js';
import type { Models } from '../store/models/index.js';
import type Provider from 'oidc-provider';
import type { Render } from '../http/render.js';
import { renderPage } from '../http/page.js';
import { endUserSessions } from '../sessions/end-sessions.js';
import { auditOwnChange, notifyOwnChange } from './page.js';

import type { AuditLog } from '../audit/record.js';
import type { Logger } from '../observability/logger.js';
import type { Mfa } from '../mfa/index.js';
/** What this module needs from the composition root (src/app/). */
export interface AccountSignOutDeps {
  models: Models;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  render: Render;
  audit: AuditLog;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  logger: Logger;
  mfa: Mfa;
}

export function registerSignOutRoutes(router: Router, services: AccountSignOutDeps): void {
  router.post('/sign-out-everywhere', async (ctx) => {
    const { user } = signedIn(ctx);
    const unreachable: string[] = [];
    const ended = await endUserSessions(services.provider(), services.models, user.sub, {
      onLogoutFailure: (clientId) => unreachable.push(clientId),
    });
    await services.models.SessionActivity.deleteMany({ accountId: user.sub });
    await auditOwnChange(ctx, services, 'session.ended_everywhere', {
      sessionsEnded: ended.sessions,
      grantsRevoked: ended.grants,
      modulesNotified: ended.modulesNotified,
      ...(unreachable.length > 0 ? { modulesUnreachable: unreachable } : {}),
    });
    await notifyOwnChange(ctx, services, {
      subject: t('account:signed_out.notice_subject'),
      summary: t('account:signed_out.notice_summary'),
      details: [t('account:signed_out.notice_detail')],
    });
    renderPage(ctx, services.render, 'account/signed-out', { title: t('account:signed_out.title'), sessions: ended.sessions });
  });
}
