// POST /admin/users/:id/end-sessions: signs the user out everywhere (browser sessions, grants and
// their tokens; modules learn it by back-channel logout). On yourself, this browser stays signed in.
import type { Context } from 'koa';
import { signedIn } from '../../console/guard.js';
import type { Models } from '../../store/models/index.js';
import type Provider from 'oidc-provider';
import { endUserSessions } from '../../sessions/end-sessions.js';
import { adminChange, auditAdminAction, redirectWithNotice } from '../page.js';
import { targetUser, userPath } from './target.js';

import type { AccountService } from '../../accounts/service.js';
import type { Render } from '../../http/render.js';
import type { AuditLog } from '../../audit/record.js';
/** What this module needs from the composition root (src/app/). */
export interface UsersSessionsDeps {
  models: Models;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  accounts: AccountService;
  audit: AuditLog;
  render: Render;
}

export async function endSessions(ctx: Context, services: UsersSessionsDeps): Promise<void> {
  const user = await targetUser(ctx, services);
  const self = signedIn(ctx);
  const keep = String(self.user._id) === String(user._id) ? { keepSessionUid: self.sessionUid } : {};
  const ended = await adminChange(ctx, services, { event: 'session.ended_everywhere', userSub: user.sub }, () => endUserSessions(services.provider(), services.models, user.sub, keep));
  await auditAdminAction(ctx, services, {
    event: 'session.ended_everywhere',
    userSub: user.sub,
    details: { before: { sessions: ended.sessions, grants: ended.grants }, after: { sessions: 0, grants: 0 }, modulesNotified: ended.modulesNotified },
  });
  redirectWithNotice(ctx, userPath(user), 'sessions_ended');
}
