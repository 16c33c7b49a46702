// POST /admin/users/:id/deactivate and /reactivate (src/commands/set-user-active.ts): deactivating
// also ends every session of the user, even one already inactive. Not on yourself.
import type { Context } from 'koa';
import { setUserActive } from '../../commands/index.js';
import { adminActor, adminCommandDeps, type AdminCommandSources } from '../commands.js';
import { formMistake, redirectWithNotice } from '../page.js';
import { showUser, type UsersOverviewDeps } from './overview.js';
import { targetUser, userPath } from './target.js';

/** What this module needs from the composition root (src/app/). */
export type UsersActiveDeps = AdminCommandSources & UsersOverviewDeps;

export async function setActive(ctx: Context, services: UsersActiveDeps, active: boolean): Promise<void> {
  const user = await targetUser(ctx, services);
  let changed;
  try {
    ({ changed } = await setUserActive(adminCommandDeps(services), adminActor(ctx), user, active));
  } catch (err) {
    const error = formMistake(err);
    if (!error) throw err;
    return showUser(ctx, services, { user, error });
  }
  redirectWithNotice(ctx, userPath(user), !changed ? 'unchanged' : active ? 'reactivated' : 'deactivated');
}
