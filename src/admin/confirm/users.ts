// What the destructive actions on one user do, said before they are done (confirmFirst).
import type { Context } from 'koa';
import type { Mfa } from '../../mfa/index.js';
import { adminOf } from '../page.js';
import { targetUser, userPath, type UsersTargetDeps } from '../users/target.js';

/** What the describers need: the user (within the admin's practice) and their known devices. */
export type ConfirmUserDeps = UsersTargetDeps & { mfa: Mfa };
import type { Confirmation, Describer } from './index.js';

export function confirmDeactivate(services: ConfirmUserDeps): Describer {
  return async (ctx: Context): Promise<Confirmation | undefined> => {
    const user = await targetUser(ctx, services);
    // Not on yourself (the handler refuses and says why), and nothing to ask for an inactive user.
    if (String(user._id) === adminOf(ctx).userId || !user.active) return undefined;
    return {
      title: `Deactivate ${user.name}?`,
      consequences: [
        `${user.name} (${user.email}) will no longer be able to sign in to any app of the practice.`,
        'Their sign-ins into this practice end at once, in every app and browser; work not yet saved in an app may be lost.',
        'Their account and settings are kept: you can reactivate them later.',
      ],
      confirmLabel: `Deactivate ${user.name}`,
      cancelHref: userPath(user),
    };
  };
}

export function confirmEndSessions(services: ConfirmUserDeps): Describer {
  return async (ctx) => {
    const user = await targetUser(ctx, services);
    const self = String(user._id) === adminOf(ctx).userId;
    return {
      title: `Sign ${user.name} out everywhere?`,
      consequences: [
        `${user.name} is signed out of every app and browser at once; work not yet saved in an app may be lost.`,
        self ? 'This browser stays signed in.' : 'They can sign in again with their password (and a code when the practice asks for one).',
      ],
      confirmLabel: `Sign ${user.name} out everywhere`,
      cancelHref: userPath(user),
    };
  };
}

export function confirmForgetDevices(services: ConfirmUserDeps): Describer {
  return async (ctx) => {
    const user = await targetUser(ctx, services);
    const count = await services.mfa.devices.countIn(user._id, adminOf(ctx).practiceId);
    if (count === 0) return undefined;
    return {
      title: `Forget ${user.name}'s known devices?`,
      consequences: [
        `${count === 1 ? 'The 1 device' : `All ${count} devices`} where ${user.name} completed a two-step sign-in will be forgotten.`,
        `The next sign-in of ${user.name} into this practice on any device will ask for a one-time code.`,
      ],
      confirmLabel: 'Forget known devices',
      cancelHref: userPath(user),
    };
  };
}
