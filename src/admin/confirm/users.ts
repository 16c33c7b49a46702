// What the destructive actions on one user do, said before they are done (confirmFirst).
import type { Context } from 'koa';
import type { Mfa } from '../../mfa/index.js';
import { adminOf } from '../page.js';
import { targetUser, userPath, type UsersTargetDeps } from '../users/target.js';

/** What the describers need: the user (within the admin's practice) and their known devices. */
export type ConfirmUserDeps = UsersTargetDeps & { mfa: Mfa };
import type { Confirmation, Describer } from './index.js';
import { t } from '../../i18n/request.js';

export function confirmDeactivate(services: ConfirmUserDeps): Describer {
  return async (ctx: Context): Promise<Confirmation | undefined> => {
    const user = await targetUser(ctx, services);
    // Not on yourself (the handler refuses and says why), and nothing to ask for an inactive user.
    if (String(user._id) === adminOf(ctx).userId || !user.active) return undefined;
    return {
      title: t('admin:confirm.deactivate_title', { name: user.name }),
      consequences: [
        t('admin:confirm.deactivate_signin', { name: user.name, email: user.email }),
        t('admin:confirm.deactivate_signed_out'),
        t('admin:confirm.deactivate_kept'),
      ],
      confirmLabel: t('admin:confirm.deactivate_button', { name: user.name }),
      cancelHref: userPath(user),
    };
  };
}

export function confirmEndSessions(services: ConfirmUserDeps): Describer {
  return async (ctx) => {
    const user = await targetUser(ctx, services);
    const self = String(user._id) === adminOf(ctx).userId;
    return {
      title: t('admin:confirm.end_title', { name: user.name }),
      consequences: [
        t('admin:confirm.end_signed_out', { name: user.name }),
        self ? t('admin:confirm.end_self') : t('admin:confirm.end_again'),
      ],
      confirmLabel: t('admin:confirm.end_button', { name: user.name }),
      cancelHref: userPath(user),
    };
  };
}

export function confirmForgetDevices(services: ConfirmUserDeps): Describer {
  return async (ctx) => {
    const user = await targetUser(ctx, services);
    const count = (await services.mfa.devices.list(user._id)).length;
    if (count === 0) return undefined;
    return {
      title: t('admin:confirm.forget_title', { name: user.name }),
      consequences: [
        t('admin:confirm.forget_devices', { count, name: user.name }),
        t('admin:confirm.forget_next', { name: user.name }),
      ],
      confirmLabel: t('admin:confirm.forget_button'),
      cancelHref: userPath(user),
    };
  };
}
