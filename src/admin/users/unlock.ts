// POST /admin/users/:id/unlock: lifts an account lock (failed passwords or codes) and forgets the
// failure count (src/commands/unlock-user.ts).
import type { Context } from 'koa';
import { unlockUser as unlock } from '../../commands/index.js';
import type { AppServices } from '../../http/services.js';
import { adminActor, adminCommandDeps } from '../commands.js';
import { redirectWithNotice } from '../page.js';
import { targetUser, userPath } from './target.js';

export async function unlockUser(ctx: Context, services: AppServices): Promise<void> {
  const user = await targetUser(ctx, services);
  const wasLocked = await unlock(adminCommandDeps(services), adminActor(ctx), user);
  redirectWithNotice(ctx, userPath(user), wasLocked ? 'unlocked' : 'not_locked');
}
