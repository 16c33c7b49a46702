// POST /admin/users/:id/unlock: lifts an account lock (failed passwords or codes) and forgets the
// failure count. Audited as account.unlocked with the admin as actor.
import type { Context } from 'koa';
import type { AppServices } from '../../http/services.js';
import { adminChange, auditAdminAction, redirectWithNotice } from '../page.js';
import { targetUser, userPath } from './target.js';

export async function unlockUser(ctx: Context, services: AppServices): Promise<void> {
  const user = await targetUser(ctx, services);
  const wasLocked = await adminChange(ctx, services, { event: 'account.unlocked', userSub: user.sub }, () => services.mfa.lockout.unlock(user._id));
  if (!wasLocked) return redirectWithNotice(ctx, userPath(user), 'not_locked');
  await auditAdminAction(ctx, services, { event: 'account.unlocked', userSub: user.sub, details: { before: { locked: true }, after: { locked: false } } });
  redirectWithNotice(ctx, userPath(user), 'unlocked');
}
