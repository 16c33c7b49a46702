// POST /admin/users/:id/deactivate and /reactivate (src/commands/set-user-active.ts): deactivating
// also ends every session of the user, even one already inactive. Not on yourself.
import type { Context } from 'koa';
import { setUserActive } from '../../commands/index.js';
import type { AppServices } from '../../http/services.js';
import { adminActor, adminCommandDeps } from '../commands.js';
import { formMistake, redirectWithNotice } from '../page.js';
import { showUser } from './overview.js';
import { targetUser, userPath } from './target.js';

export async function setActive(ctx: Context, services: AppServices, active: boolean): Promise<void> {
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
