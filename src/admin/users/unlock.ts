// POST /admin/users/:id/unlock: lifts an account lock (failed passwords or codes) and forgets the
// failure count (src/commands/unlock-user.ts).
import type { Context } from 'koa';
import type { Render } from '../../http/render.js';
import { unlockUser as unlock } from '../../commands/index.js';
import { adminActor, adminCommandDeps, type AdminCommandSources } from '../commands.js';
import { redirectWithNotice } from '../page.js';
import { targetUser, userPath } from './target.js';

/** What this module needs from the composition root (src/app/). */
export type UsersUnlockDeps = AdminCommandSources & { render: Render };

export async function unlockUser(ctx: Context, services: UsersUnlockDeps): Promise<void> {
  const user = await targetUser(ctx, services);
  const wasLocked = await unlock(adminCommandDeps(services), adminActor(ctx), user);
  redirectWithNotice(ctx, userPath(user), wasLocked ? 'unlocked' : 'not_locked');
}
