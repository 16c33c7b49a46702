// POST /admin/users/:id/deactivate and /reactivate (src/commands/set-member-active.ts): this
// practice's membership only; deactivating ends the sign-ins that entered this practice (even of a
// membership already deactivated), never the person's sign-ins into their other practices. Not on yourself.
import type { Context } from 'koa';
import { setMemberActive } from '../../commands/index.js';
import { adminActor, adminCommandDeps, type AdminCommandSources } from '../commands.js';
import { formMistake, redirectWithNotice } from '../page.js';
import { showUser, type UsersOverviewDeps } from './overview.js';
import { targetUser, userPath } from './target.js';

/** What this module needs from the composition root (src/app/). */
export type UsersActiveDeps = AdminCommandSources & UsersOverviewDeps;

export async function setActive(ctx: Context, services: UsersActiveDeps, active: boolean): Promise<void> {
  const user = await targetUser(ctx, services);
  const actor = adminActor(ctx);
  let changed;
  try {
    ({ changed } = await setMemberActive(adminCommandDeps(services), actor, actor.practiceId, user, active));
  } catch (err) {
    const error = formMistake(err);
    if (!error) throw err;
    return showUser(ctx, services, { user, error });
  }
  redirectWithNotice(ctx, userPath(user), !changed ? 'unchanged' : active ? 'reactivated' : 'deactivated');
}
