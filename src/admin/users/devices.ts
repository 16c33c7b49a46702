// POST /admin/users/:id/forget-devices: every browser the user completed a code on is forgotten, so
// the next sign-in anywhere is a new device (src/commands/forget-devices.ts).
import type { Context } from 'koa';
import type { Render } from '../../http/render.js';
import { forgetDevices as forget } from '../../commands/index.js';
import { adminActor, adminCommandDeps, type AdminCommandSources } from '../commands.js';
import { redirectWithNotice } from '../page.js';
import { targetUser, userPath } from './target.js';

/** What this module needs from the composition root (src/app/). */
export type UsersDevicesDeps = AdminCommandSources & { render: Render };

export async function forgetDevices(ctx: Context, services: UsersDevicesDeps): Promise<void> {
  const user = await targetUser(ctx, services);
  const forgotten = await forget(adminCommandDeps(services), adminActor(ctx), user);
  redirectWithNotice(ctx, userPath(user), forgotten === 0 ? 'unchanged' : 'devices_forgotten');
}
