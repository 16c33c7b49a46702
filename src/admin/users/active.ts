// POST /admin/users/:id/deactivate and /reactivate. Deactivating also ends every session of the
// user (sign-ins, grants, tokens; modules are told by back-channel logout). Not on yourself.
import type { Context } from 'koa';
import { nothingChanged } from '../../accounts/changes.js';
import { AppError } from '../../errors.js';
import type { AccountService } from '../../accounts/service.js';
import type { Models } from '../../store/models/index.js';
import type Provider from 'oidc-provider';
import { endUserSessions } from '../../sessions/end-sessions.js';
import { adminChange, adminOf, auditAdminAction, redirectWithNotice } from '../page.js';
import { showUser } from './overview.js';
import { targetUser, userPath } from './target.js';

import type { Render } from '../../http/render.js';
import type { Mfa } from '../../mfa/index.js';
import type { AuditLog } from '../../audit/record.js';
/** What this module needs from the composition root (src/app/). */
export interface UsersActiveDeps {
  accounts: AccountService;
  models: Models;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  audit: AuditLog;
  mfa: Mfa;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  render: Render;
}

export async function setActive(ctx: Context, services: UsersActiveDeps, active: boolean): Promise<void> {
  const admin = adminOf(ctx);
  const user = await targetUser(ctx, services);
  if (!active && String(user._id) === admin.userId) {
    const error = new AppError('admin deactivating themselves', { status: 400, code: 'invalid_input', userMessage: 'You cannot deactivate your own account. Ask another admin of the practice to do it.' });
    return showUser(ctx, services, { user, error });
  }
  const { changes } = await adminChange(ctx, services, { event: active ? 'admin.user.reactivated' : 'admin.user.deactivated', userSub: user.sub }, () => services.accounts.setPracticeUserActive(admin.practiceId, user._id, active));
  // Even when already inactive: a deactivated user must hold no session.
  if (!active) await endUserSessions(services.provider(), services.models, user.sub);
  if (nothingChanged(changes)) return redirectWithNotice(ctx, userPath(user), 'unchanged');
  await auditAdminAction(ctx, services, { event: active ? 'admin.user.reactivated' : 'admin.user.deactivated', userSub: user.sub, details: { ...changes } });
  redirectWithNotice(ctx, userPath(user), active ? 'reactivated' : 'deactivated');
}
