// The user an admin route is about: the :id of the URL, within the admin's practice only.
import type { Context } from 'koa';
import type { UserDoc } from '../../accounts/service.js';
import type { AccountService } from '../../accounts/service.js';
import { NotFoundError } from '../../errors.js';
import type { Models } from '../../store/models/index.js';
import { adminOf, objectIdParam } from '../page.js';
import { isInvitedHere } from './invited.js';

/** What this module needs from the composition root (src/app/). */
export interface UsersTargetDeps {
  accounts: AccountService;
  models: Pick<Models, 'Membership'>;
}

export async function targetUser(ctx: Context, services: UsersTargetDeps): Promise<UserDoc> {
  const { practiceId } = adminOf(ctx);
  // An invited person has only their invitation page here (invited.ts): nothing of the identity.
  if (await isInvitedHere(services.models, practiceId, ctx.params.id)) throw new NotFoundError('invited, not a member yet');
  return services.accounts.requirePracticeUser(practiceId, objectIdParam(ctx.params.id));
}

export const userPath = (user: { _id: unknown }) => `/admin/users/${String(user._id)}`;

/** The notices a user's page may show after an action (keys in the redirect, words in locales/<lang>/admin.json). */
export const USER_NOTICES: Readonly<Record<string, string>> = {
  created: 'admin:notices.created',
  created_invitation_failed: 'admin:notices.created_invitation_failed',
  saved: 'admin:notices.saved',
  access_saved: 'admin:notices.access_saved',
  deactivated: 'admin:notices.deactivated',
  reactivated: 'admin:notices.reactivated',
  unlocked: 'admin:notices.unlocked',
  not_locked: 'admin:notices.not_locked',
  factor_removed: 'admin:notices.factor_removed',
  devices_forgotten: 'admin:notices.devices_forgotten',
  sessions_ended: 'admin:notices.sessions_ended',
  unchanged: 'admin:notices.unchanged',
  change_requested: 'admin:notices.change_requested',
  code_sent: 'admin:notices.code_sent',
  change_approved: 'admin:notices.change_approved',
  change_waiting: 'admin:notices.change_waiting',
  change_applied: 'admin:notices.change_applied',
  change_refused: 'admin:notices.change_refused',
  change_withdrawn: 'admin:notices.change_withdrawn',
  change_gone: 'admin:notices.change_gone',
  phone_removed: 'admin:notices.phone_removed',
};
