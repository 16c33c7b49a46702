// POST /admin/users/:id/access, "Save access for user": two-step sign-in on or off for this user,
// and whether the codes go by email or text message (text needs a mobile number on the profile).
import type { Context } from 'koa';
import { nothingChanged } from '../../accounts/changes.js';
import type { AppServices } from '../../http/services.js';
import type { MfaChannel } from '../../store/models/user.js';
import { adminChange, adminOf, auditAdminAction, formMistake, formText, redirectWithNotice } from '../page.js';
import { showUser } from './edit.js';
import { targetUser, userPath } from './target.js';

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
    return showUser(ctx, services, { user, error: mistake });
  }
  if (nothingChanged(changes)) return redirectWithNotice(ctx, userPath(user), 'unchanged');
  await auditAdminAction(ctx, services, { event: 'admin.user.mfa_changed', userSub: user.sub, details: { ...changes } });
  redirectWithNotice(ctx, userPath(user), 'access_saved');
}
