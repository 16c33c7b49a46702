// GET /admin/users/new and POST /admin/users: a new user of the admin's practice (never another:
// the practice comes from the session, not the form), then an invitation email to set a password.
// No mobile number here: a number is saved only once a code texted to it was typed (profile.ts).
// No admin either while the practice has another: a new admin needs a second admin (profile.ts).
import type { Context } from 'koa';
import { promotionNeedsApproval } from '../../accounts/account-change/request.js';
import { assertValidEmail } from '../../accounts/email.js';
import { checkName, checkProfile } from '../../accounts/practice-users.js';
import { type AppError, appError } from '../../errors.js';
import { checkAll, formErrors, mistakesOf } from '../../http/form-errors.js';
import { DeliveryError } from '../../mfa/channels/channel.js';
import { sendInvitation, type InvitationServices } from '../../password-reset/invitation.js';
import { USER_ROLES, type UserRole } from '../../store/models/user.js';
import { createUser as createUserCommand } from '../../commands/index.js';
import { adminActor, adminCommandDeps } from '../commands.js';
import { adminOf, formMistake, formText, redirectWithNotice, renderAdminPage, requestWhere } from '../page.js';
import { userPath } from './target.js';

import type { Render } from '../../http/render.js';
/** What this module needs from the composition root (src/app/): the invitation's, and pages. */
export interface UsersCreateDeps extends InvitationServices {
  render: Render;
}

interface NewUserValues {
  name: string;
  email: string;
  role: string;
}

const EMPTY: NewUserValues = { name: '', email: '', role: 'clinician' };

export function showNewUser(ctx: Context, services: UsersCreateDeps, values = EMPTY, error?: AppError): void {
  renderAdminPage(ctx, services, 'admin/user-new', { title: 'Add a user', values, roles: USER_ROLES, mistakes: formErrors(mistakesOf(error)) }, error?.status ?? 200);
}

export async function createUser(ctx: Context, services: UsersCreateDeps): Promise<void> {
  const admin = adminOf(ctx);
  const values: NewUserValues = { name: formText(ctx, 'name'), email: formText(ctx, 'email'), role: formText(ctx, 'role', 20) };
  let user;
  try {
    // Every field's mistake at once; then the same checks, for the values they return.
    checkAll([() => checkName(values.name), () => assertValidEmail(values.email), () => checkRole(values.role)]);
    const profile = checkProfile({ ...values, role: values.role as UserRole });
    if (profile.role === 'admin' && (await promotionNeedsApproval(services, admin.practiceId, admin))) {
      throw appError('invalid_input', {
        detail: 'new admin needs a second admin', field: 'role',
        message: 'A new admin needs the approval of another admin: create the user as clinician or staff, then choose "admin" on their profile.',
      });
    }
    // No phone from this form: a number is saved only with the code texted to it (profile page).
    const { phone: _none, ...rest } = profile;
    user = await createUserCommand(adminCommandDeps(services), adminActor(ctx), { practiceId: admin.practiceId, ...rest });
  } catch (err) {
    const mistake = formMistake(err);
    if (!mistake) throw err;
    return showNewUser(ctx, services, values, mistake);
  }

  try {
    await sendInvitation(services, user, { actor: { sub: admin.sub, role: 'admin' }, ...requestWhere(ctx) });
  } catch (err) {
    // The user exists and its creation is audited; only the email failed (say so, never a 500).
    if (!(err instanceof DeliveryError)) throw err;
    return redirectWithNotice(ctx, userPath(user), 'created_invitation_failed');
  }
  redirectWithNotice(ctx, userPath(user), 'created');
}

function checkRole(role: string): void {
  if (!USER_ROLES.includes(role as UserRole)) throw appError('invalid_input', { detail: 'unknown role', message: 'Choose a role: admin, clinician or staff.', field: 'role' });
}
