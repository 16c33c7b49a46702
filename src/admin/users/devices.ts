// POST /admin/users/:id/forget-devices: every browser the user completed a code on is forgotten, so
// the next sign-in anywhere is a new device (a lost laptop, a shared computer).
import type { Context } from 'koa';
import type { Mfa } from '../../mfa/index.js';
import { adminChange, auditAdminAction, redirectWithNotice } from '../page.js';
import { targetUser, userPath } from './target.js';

import type { AccountService } from '../../accounts/service.js';
import type { Render } from '../../http/render.js';
import type { AuditLog } from '../../audit/record.js';
/** What this module needs from the composition root (src/app/). */
export interface UsersDevicesDeps {
  mfa: Mfa;
  accounts: AccountService;
  audit: AuditLog;
  render: Render;
}

export async function forgetDevices(ctx: Context, services: UsersDevicesDeps): Promise<void> {
  const user = await targetUser(ctx, services);
  const forgotten = await adminChange(ctx, services, { event: 'device.forgotten', userSub: user.sub }, () => services.mfa.devices.forgetAll(user._id));
  if (forgotten === 0) return redirectWithNotice(ctx, userPath(user), 'unchanged');
  await auditAdminAction(ctx, services, { event: 'device.forgotten', userSub: user.sub, details: { before: { knownDevices: forgotten }, after: { knownDevices: 0 } } });
  redirectWithNotice(ctx, userPath(user), 'devices_forgotten');
}
