// GET /admin/users/:id: the user's page (profile, access, account actions).
// POST /admin/users/:id: save name, email, phone and role. An admin cannot demote themselves.
import type { Context } from 'koa';
import { nothingChanged } from '../../accounts/changes.js';
import type { UserDoc } from '../../accounts/service.js';
import { AppError } from '../../errors.js';
import type { AppServices } from '../../http/services.js';
import { USER_ROLES, type UserRole } from '../../store/models/user.js';
import { adminChange, adminOf, auditAdminAction, formMistake, formText, noticeFrom, redirectWithNotice, renderAdminPage } from '../page.js';
import { targetUser, userPath, USER_NOTICES } from './target.js';

interface ProfileValues {
  name: string;
  email: string;
  phone: string;
  role: string;
}

export async function showUser(ctx: Context, services: AppServices, shown?: { user: UserDoc; profile?: ProfileValues; error: AppError }): Promise<void> {
  const user = shown?.user ?? (await targetUser(ctx, services));
  const lock = services.mfa.lockout.status(user);
  const devices = await services.mfa.devices.list(user._id);
  renderAdminPage(ctx, services, 'admin/user-edit', {
    title: user.name,
    notice: shown ? undefined : noticeFrom(ctx, USER_NOTICES),
    error: shown?.error.userMessage,
    path: userPath(user),
    isSelf: String(user._id) === adminOf(ctx).userId,
    roles: USER_ROLES,
    profile: shown?.profile ?? { name: user.name, email: user.email, phone: user.phone ?? '', role: user.role },
    user: {
      name: user.name,
      email: user.email,
      active: user.active,
      hasPhone: Boolean(user.phone),
      mfaEnabled: user.mfaEnabled,
      mfaChannel: user.mfaChannel,
      locked: lock.locked,
      lockedUntil: lock.retryAt ? new Date(lock.retryAt).toISOString() : undefined,
      knownDevices: devices.length,
    },
  }, shown?.error.status ?? 200);
}

export async function saveProfile(ctx: Context, services: AppServices): Promise<void> {
  const admin = adminOf(ctx);
  const user = await targetUser(ctx, services);
  const profile: ProfileValues = { name: formText(ctx, 'name'), email: formText(ctx, 'email'), phone: formText(ctx, 'phone', 40), role: formText(ctx, 'role', 20) };
  let changes;
  try {
    if (String(user._id) === admin.userId && profile.role !== 'admin') {
      throw new AppError('admin demoting themselves', { status: 400, code: 'invalid_input', userMessage: 'You cannot remove your own admin role. Ask another admin of the practice to do it.' });
    }
    changes = await adminChange(ctx, services, { event: 'admin.user.updated', userSub: user.sub }, () => services.accounts.updateUserProfile(admin.practiceId, user._id, { ...profile, role: profile.role as UserRole }));
  } catch (err) {
    const mistake = formMistake(err);
    if (!mistake) throw err;
    return showUser(ctx, services, { user, profile, error: mistake });
  }
  if (nothingChanged(changes)) return redirectWithNotice(ctx, userPath(user), 'unchanged');
  await auditAdminAction(ctx, services, { event: 'admin.user.updated', userSub: user.sub, details: { ...changes } });
  redirectWithNotice(ctx, userPath(user), 'saved');
}
