// GET/POST /admin/users/:id/access, "Save access for user": two-step sign-in on or off for this
// user, and whether the codes go by email or text message (text needs a verified mobile number).
// Behind a fresh second factor of the admin (routes.ts): turning it off weakens the account.
// The change itself is src/commands/two-step.ts, as for the CLI's `mfa user`.
import type { Context } from 'koa';
import type { Render } from '../../http/render.js';
import { nothingChanged } from '../../accounts/changes.js';
import { formErrors, mistakesOf } from '../../http/form-errors.js';
import type { MfaChannel } from '../../store/models/user.js';
import type { UserDoc } from '../../accounts/service.js';
import type { AppError } from '../../errors.js';
import { setTwoStep } from '../../commands/index.js';
import { adminActor, adminCommandDeps, type AdminCommandSources } from '../commands.js';
import { formMistake, formText, redirectWithNotice, renderAdminPage } from '../page.js';
import { targetUser, userPath } from './target.js';
import { t } from '../../i18n/request.js';

/** What this module needs from the composition root (src/app/). */
export type UsersAccessDeps = AdminCommandSources & { render: Render };

export async function showAccess(ctx: Context, services: UsersAccessDeps, shown?: { user: UserDoc; error: AppError }): Promise<void> {
  const user = shown?.user ?? (await targetUser(ctx, services));
  renderAdminPage(ctx, services, 'admin/user-access', {
    title: t('admin:access.title', { name: user.name }),
    mistakes: formErrors(mistakesOf(shown?.error), { mfaChannel: 'mfaChannel-email' }),
    path: userPath(user),
    user: { name: user.name, hasPhone: Boolean(user.phone), mfaEnabled: user.mfaEnabled, mfaChannel: user.mfaChannel },
  }, shown?.error.status ?? 200);
}

export async function saveAccess(ctx: Context, services: UsersAccessDeps): Promise<void> {
  const user = await targetUser(ctx, services);
  let changes;
  try {
    changes = await setTwoStep(adminCommandDeps(services), adminActor(ctx), user, {
      mfaEnabled: formText(ctx, 'mfaEnabled', 10) === 'on',
      mfaChannel: formText(ctx, 'mfaChannel', 10) as MfaChannel,
    });
  } catch (err) {
    const mistake = formMistake(err);
    if (!mistake) throw err;
    return showAccess(ctx, services, { user, error: mistake });
  }
  redirectWithNotice(ctx, userPath(user), nothingChanged(changes) ? 'unchanged' : 'access_saved');
}
