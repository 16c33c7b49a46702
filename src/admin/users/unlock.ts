// POST /admin/users/:id/unlock: lifts an account lock (failed passwords or codes) and forgets the
// failure count. Audited as account.unlocked with the admin as actor.
import type { Context } from 'koa';
import type { Mfa } from '../../mfa/index.js';
import { adminChange, auditAdminAction, redirectWithNotice } from '../page.js';
import { targetUser, userPath } from './target.js';

import type { AccountService } from '../../accounts/service.js';
import type { Render } from '../../http/render.js';
import type { AuditLog } from '../../audit/record.js';
/** What this module needs from the composition root (src/app/). */
export interface UsersUnlockDeps {
  mfa: Mfa;
  accounts: AccountService;
  audit: AuditLog;
  render: Render;
}

export async function unlockUser(ctx: Context, services: UsersUnlockDeps): Promise<void> {
  const user = await targetUser(ctx, services);
  const wasLocked = await adminChange(ctx, services, { event: 'account.unlocked', userSub: user.sub }, () => services.mfa.lockout.unlock(user._id));
  if (!wasLocked) return redirectWithNotice(ctx, userPath(user), 'not_locked');
  await auditAdminAction(ctx, services, { event: 'account.unlocked', userSub: user.sub, details: { before: { locked: true }, after: { locked: false } } });
  redirectWithNotice(ctx, userPath(user), 'unlocked');
}
