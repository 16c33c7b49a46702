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

/** The notices a user's page may show after an action (keys in the redirect, words here). */
export const USER_NOTICES: Readonly<Record<string, string>> = {
  created: 'User created. An invitation to set a password was emailed.',
  created_invitation_failed: 'User created, but the invitation email could not be sent. Check the address, or ask an operator to set a first password.',
  saved: 'Profile saved.',
  access_saved: 'Access saved for this user.',
  deactivated: 'User deactivated in this practice: the sign-ins that entered it were ended. Their other practices, if any, are not affected.',
  reactivated: 'User reactivated: they can sign in to this practice again.',
  unlocked: 'Account unlocked.',
  not_locked: 'This account was not locked.',
  factor_removed: 'The sign-in method was removed and the user was emailed.',
  devices_forgotten: 'Known devices forgotten: the next sign-in into this practice on any device asks for a code.',
  sessions_ended: 'Signed out everywhere.',
  unchanged: 'Nothing changed.',
  change_requested: 'Change requested. It applies once the new address confirms it (and, for another admin, once a second admin approves). The user\'s current address was told.',
  code_sent: 'A code was texted to the new number. Type it here when the user reads it to you.',
  change_approved: 'Approved. The change still waits for the new address to confirm it.',
  change_waiting: 'Confirmed. The change now waits for another admin to approve it.',
  change_applied: 'The change was applied. The user was signed out everywhere and told at their old and new address.',
  change_refused: 'The change was refused: nothing changed.',
  change_withdrawn: 'The change was withdrawn: nothing changed.',
  change_gone: 'This change can no longer be applied (it expired, was cancelled, or the account changed meanwhile).',
  phone_removed: 'The mobile number was removed. The user was signed out everywhere and told by email.',
};
