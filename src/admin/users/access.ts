// GET/POST /admin/users/:id/access, "Save access for user": two-step sign-in on or off for this
// user, and whether the codes go by email or text message (text needs a verified mobile number).
// Behind a fresh second factor of the admin (routes.ts): turning it off weakens the account.
import type { Context } from 'koa';
import { nothingChanged } from '../../accounts/changes.js';
import { formErrors, mistakesOf } from '../../http/form-errors.js';
import type { AppServices } from '../../http/services.js';
import type { MfaChannel } from '../../store/models/user.js';
import type { UserDoc } from '../../accounts/service.js';
import type { AppError } from '../../errors.js';
import { adminChange, adminOf, auditAdminAction, formMistake, formText, redirectWithNotice, renderAdminPage } from '../page.js';
import { targetUser, userPath } from './target.js';

export async function showAccess(ctx: Context, services: AppServices, shown?: { user: UserDoc; error: AppError }): Promise<void> {
  const user = shown?.user ?? (await targetUser(ctx, services));
  renderAdminPage(ctx, services, 'admin/user-access', {
    title: `Access of ${user.name}`,
    mistakes: formErrors(mistakesOf(shown?.error), { mfaChannel: 'mfaChannel-email' }),
    path: userPath(user),
    user: { name: user.name, hasPhone: Boolean(user.phone), mfaEnabled: user.mfaEnabled, mfaChannel: user.mfaChannel },
  }, shown?.error.status ?? 200);
}

export async function saveAccess(ctx: Context, services: AppServices): Promise<void> {
  const admin = adminOf(ctx);
  const user = await targetUser(ctx, services);
  let changes;
  try {
    changes = await adminChange(ctx, services, { event: 'admin.user.mfa_changed', userSub: user.sub }, () => services.accounts.setUserAccess(admin.practiceId, user._id, {
      mfaEnabled: formText(ctx, 'mfaEnabled', 10) === 'on',
      mfaChannel: formText(ctx, 'mfaChannel', 10) as MfaChannel,
    }));
  } catch (err) {
    const mistake = formMistake(err);
    if (!mistake) throw err;
    return showAccess(ctx, services, { user, error: mistake });
  }
  if (nothingChanged(changes)) return redirectWithNotice(ctx, userPath(user), 'unchanged');
  await auditAdminAction(ctx, services, { event: 'admin.user.mfa_changed', userSub: user.sub, details: { ...changes } });
  redirectWithNotice(ctx, userPath(user), 'access_saved');
}
