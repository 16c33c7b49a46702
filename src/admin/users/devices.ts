// POST /admin/users/:id/forget-devices: every browser the user completed a code on is forgotten, so
// the next sign-in anywhere is a new device (src/commands/forget-devices.ts).
import type { Context } from 'koa';
import { forgetDevices as forget } from '../../commands/index.js';
import type { AppServices } from '../../http/services.js';
import { adminActor, adminCommandDeps } from '../commands.js';
import { redirectWithNotice } from '../page.js';
import { targetUser, userPath } from './target.js';

export async function forgetDevices(ctx: Context, services: AppServices): Promise<void> {
  const user = await targetUser(ctx, services);
  const forgotten = await forget(adminCommandDeps(services), adminActor(ctx), user);
  redirectWithNotice(ctx, userPath(user), forgotten === 0 ? 'unchanged' : 'devices_forgotten');
}
