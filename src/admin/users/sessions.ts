// POST /admin/users/:id/end-sessions: signs the user out everywhere (src/commands/end-sessions.ts).
// On yourself, this browser stays signed in.
import type { Context } from 'koa';
import { endAllSessions } from '../../commands/index.js';
import type { AppServices } from '../../http/services.js';
import { adminActor, adminCommandDeps } from '../commands.js';
import { redirectWithNotice } from '../page.js';
import { targetUser, userPath } from './target.js';

export async function endSessions(ctx: Context, services: AppServices): Promise<void> {
  const user = await targetUser(ctx, services);
  await endAllSessions(adminCommandDeps(services), adminActor(ctx), user);
  redirectWithNotice(ctx, userPath(user), 'sessions_ended');
}
