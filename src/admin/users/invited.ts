// The people of the practice who were invited and have not joined yet, as the admin sees them:
// only what the admin typed (name, email, role) and when the link expires, never the identity's
// own name, phone, factors, devices or lock, so an invited row and its page look the same whether
// or not the email already had an identity elsewhere (src/commands/invite-member.ts).
//
// GET  /users/:id                        (an invited person's page: this view, with the two actions)
// POST /users/:id/invitation/resend      a new link; the old one stops working
// POST /users/:id/invitation/cancel      the invited membership removed (confirmation page first)
import type { Context } from 'koa';
import { Types } from 'mongoose';
import { createInvitations } from '../../accounts/invitations.js';
import { cancelInvitation, resendInvitation } from '../../commands/index.js';
import { NotFoundError } from '../../errors.js';
import { t } from '../../i18n/request.js';
import { formatInstant } from '../../mfa/channels/wording.js';
import type { Models } from '../../store/models/index.js';
import { adminActor, adminCommandDeps, type AdminCommandSources } from '../commands.js';
import { adminOf, objectIdParam, redirectWithNotice, renderAdminPage, type AdminPageDeps } from '../page.js';

/** What this module needs from the composition root (src/app/). */
export type UsersInvitedDeps = AdminCommandSources & AdminPageDeps;

/** The notices of the invitation actions (words from locales/<lang>/members.json). */
const NOTICES = ['invited', 'invited_mail_failed', 'resent', 'cancelled'] as const;

export function invitationNotice(ctx: Context): string | undefined {
  const key = typeof ctx.query.notice === 'string' ? ctx.query.notice : '';
  return (NOTICES as readonly string[]).includes(key) ? t(`members:admin.notices.${key}`) : undefined;
}

/** The identity ids of this practice's invited members. */
export async function invitedIds(models: Pick<Models, 'Membership'>, practiceId: Types.ObjectId): Promise<Types.ObjectId[]> {
  return (await models.Membership.find({ practiceId, status: 'invited' }, { userId: 1 }).lean()).map((membership) => membership.userId);
}

/** Whether :id is a person invited to this practice (whose other pages do not exist for the admin). */
export async function isInvitedHere(models: Pick<Models, 'Membership'>, practiceId: Types.ObjectId, id: string | undefined): Promise<boolean> {
  if (!id || !/^[0-9a-f]{24}$/i.test(id)) return false;
  return Boolean(await models.Membership.exists({ practiceId, userId: new Types.ObjectId(id), status: 'invited' }));
}

/** The list rows of invited people whose typed name or email contains `search`, by name. */
export async function invitedRows(services: { models: Models; now: () => number }, practiceId: Types.ObjectId, search: string) {
  const ids = await invitedIds(services.models, practiceId);
  if (ids.length === 0) return [];
  const views = await createInvitations(services).ofPractice(practiceId, ids);
  const needle = search.trim().toLowerCase();
  return ids.flatMap((id) => {
    const view = views.get(String(id));
    if (!view) return [];
    if (needle && !view.name.toLowerCase().includes(needle) && !view.email.toLowerCase().includes(needle)) return [];
    return [{ id: String(id), name: view.name, email: view.email, role: view.role, active: true, invited: true, mfaEnabled: false, locked: false }];
  }).sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
}

export async function showInvited(ctx: Context, services: AdminPageDeps & { now: () => number; models: Models }): Promise<void> {
  const admin = adminOf(ctx);
  const userId = objectIdParam(ctx.params.id);
  const view = await createInvitations(services).of(admin.practiceId, userId);
  if (!view) throw new NotFoundError('no invitation here');
  const expired = view.expiresAt.getTime() <= services.now();
  renderAdminPage(ctx, services, 'admin/user-invited', {
    title: view.name,
    notice: invitationNotice(ctx),
    path: `/admin/users/${String(userId)}`,
    invited: { name: view.name, email: view.email, role: view.role, expired, expires: formatInstant(view.expiresAt, admin.timeZone) },
  });
}

export async function resendInvited(ctx: Context, services: UsersInvitedDeps): Promise<void> {
  const admin = adminOf(ctx);
  const userId = objectIdParam(ctx.params.id);
  const { mailed } = await resendInvitation(adminCommandDeps(services), adminActor(ctx), admin.practiceId, userId);
  redirectWithNotice(ctx, `/admin/users/${String(userId)}`, mailed ? 'resent' : 'invited_mail_failed');
}

export async function cancelInvited(ctx: Context, services: UsersInvitedDeps): Promise<void> {
  const admin = adminOf(ctx);
  await cancelInvitation(adminCommandDeps(services), adminActor(ctx), admin.practiceId, objectIdParam(ctx.params.id));
  redirectWithNotice(ctx, '/admin/users', 'cancelled');
}
