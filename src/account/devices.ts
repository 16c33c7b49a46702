// GET /account/devices: the browsers that completed a two-step sign-in (they may skip the code when
// the risk rules allow). Forgetting one, or all, makes each ask for a code again; it only ever
// makes sign-in stricter, so it needs no fresh factor.
import { t } from '../i18n/request.js';
import type Router from '@koa/router';
import { Types } from 'mongoose';
import { signedIn } from '../console/guard.js';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import { formatInstant, readableAddress } from '../mfa/channels/wording.js';
import { auditOwnChange, notifyOwnChange, redirectWithNotice, renderAccountPage } from './page.js';

import type { Render } from '../http/render.js';
import type { AuditLog } from '../audit/record.js';
import type { Logger } from '../observability/logger.js';
/** What this module needs from the composition root (src/app/). */
export interface AccountDevicesDeps {
  mfa: Mfa;
  models: Models;
  audit: AuditLog;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  render: Render;
  logger: Logger;
}

export function registerDeviceRoutes(router: Router, services: AccountDevicesDeps): void {
  router.get('/devices', async (ctx) => {
    const { user, practice } = signedIn(ctx);
    const devices = await services.mfa.devices.list(user._id);
    renderAccountPage(ctx, services, 'devices', {
      title: t('account:devices.title'),
      devices: devices.map((device) => ({
        id: String(device._id),
        label: device.label,
        firstSeen: formatInstant(device.firstSeenAt, practice.timeZone),
        lastSeen: formatInstant(device.lastSeenAt, practice.timeZone),
        lastIp: device.lastIp ? readableAddress(device.lastIp) : null,
      })),
    });
  });

  router.post('/devices/forget-all', async (ctx) => {
    const { user } = signedIn(ctx);
    const count = await services.mfa.devices.forgetAll(user._id);
    if (count === 0) return redirectWithNotice(ctx, '/account/devices', 'unchanged');
    await auditOwnChange(ctx, services, 'device.forgotten', { all: true, count });
    await notifyOwnChange(ctx, services, {
      subject: t('account:devices.notice_all_subject'),
      summary: t('account:devices.notice_all_summary', { count }),
    });
    redirectWithNotice(ctx, '/account/devices', 'devices');
  });

  router.post('/devices/:id/forget', async (ctx) => {
    const { user } = signedIn(ctx);
    const id = ctx.params.id ?? '';
    // Looked up with the user's own id: another person's device is simply not found.
    const device = Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id)
      ? await services.models.KnownDevice.findOne({ _id: id, userId: user._id }).lean()
      : null;
    if (!device || !(await services.mfa.devices.forget(user._id, device._id))) return redirectWithNotice(ctx, '/account/devices', 'unchanged');
    await auditOwnChange(ctx, services, 'device.forgotten', { label: device.label });
    await notifyOwnChange(ctx, services, {
      subject: t('account:devices.notice_one_subject'),
      summary: t('account:devices.notice_one_summary', { label: device.label }),
    });
    redirectWithNotice(ctx, '/account/devices', 'device');
  });
}
