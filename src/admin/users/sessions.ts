// POST /admin/users/:id/end-sessions: signs the user out everywhere (src/commands/end-sessions.ts).
// On yourself, this browser stays signed in.
import type { Context } from 'koa';
import type { Render } from '../../http/render.js';
import { endAllSessions } from '../../commands/index.js';
import { adminActor, adminCommandDeps, type AdminCommandSources } from '../commands.js';
import { redirectWithNotice } from '../page.js';
import { targetUser, userPath } from './target.js';

/** What this module needs from the composition root (src/app/). */
export type UsersSessionsDeps = AdminCommandSources & { render: Render };

export async function endSessions(ctx: Context, services: UsersSessionsDeps): Promise<void> {
  const user = await targetUser(ctx, services);
  await endAllSessions(adminCommandDeps(services), adminActor(ctx), user);
  redirectWithNotice(ctx, userPath(user), 'sessions_ended');
}
