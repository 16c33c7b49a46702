// GET /admin/users/new and POST /admin/users: invite a person to the admin's practice (never another:
// the practice comes from the session, not the form). Whether the email already had an identity
// (a join link) or not (a new account and a set-password link), the admin gets the same answer:
// back to the list, where the person is "Invited" with the name and role typed here.
// No mobile number here: a number is saved only once a code texted to it was typed (profile.ts).
// No admin either while the practice has another: a new admin needs a second admin (profile.ts).
import type { Context } from 'koa';
import { promotionNeedsApproval } from '../../accounts/account-change/request.js';
import { assertValidEmail } from '../../accounts/email.js';
import { checkName } from '../../accounts/practice-users.js';
import { type AppError, appError } from '../../errors.js';
import { checkAll, formErrors, mistakesOf } from '../../http/form-errors.js';
import type { AccountService } from '../../accounts/service.js';
import { USER_ROLES, type UserRole } from '../../store/models/user.js';
import { checkInvitation, inviteMember } from '../../commands/index.js';
import { adminActor, adminCommandDeps } from '../commands.js';
import { adminOf, formMistake, formText, redirectWithNotice, renderAdminPage } from '../page.js';

import type { Render } from '../../http/render.js';
import type { AuditLog } from '../../audit/record.js';
import type { Mfa } from '../../mfa/index.js';
import type { Models } from '../../store/models/index.js';
import type Provider from 'oidc-provider';
import type { Logger } from '../../observability/logger.js';
import { t } from '../../i18n/request.js';
/** What this module needs from the composition root (src/app/). */
export interface UsersCreateDeps {
  accounts: AccountService;
  audit: AuditLog;
  /** The public issuer URL. */
  issuer: string;
  mfa: Mfa;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  render: Render;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  logger: Logger;
}

interface NewUserValues {
  name: string;
  email: string;
  role: string;
}

const EMPTY: NewUserValues = { name: '', email: '', role: 'clinician' };

export function showNewUser(ctx: Context, services: UsersCreateDeps, values = EMPTY, error?: AppError): void {
  renderAdminPage(ctx, services, 'admin/user-new', { title: t('admin:new_user.title'), values, roles: USER_ROLES, mistakes: formErrors(mistakesOf(error)) }, error?.status ?? 200);
}

export async function createUser(ctx: Context, services: UsersCreateDeps): Promise<void> {
  const admin = adminOf(ctx);
  const values: NewUserValues = { name: formText(ctx, 'name'), email: formText(ctx, 'email'), role: formText(ctx, 'role', 20) };
  let result;
  try {
    // Every field's mistake at once; then the same checks, for the values they return.
    checkAll([() => checkName(values.name), () => assertValidEmail(values.email), () => checkRole(values.role)]);
    const typed = checkInvitation(values);
    if (typed.role === 'admin' && (await promotionNeedsApproval(services, admin.practiceId, admin))) {
      throw appError('invalid_input', {
        detail: 'new admin needs a second admin', field: 'role',
        message: t('admin:new_user.admin_needs_approval'),
      });
    }
    // One answer whether or not the email already had an identity (src/commands/invite-member.ts).
    result = await inviteMember(adminCommandDeps(services), adminActor(ctx), admin.practiceId, typed);
  } catch (err) {
    const mistake = formMistake(err);
    if (!mistake) throw err;
    return showNewUser(ctx, services, values, mistake);
  }
  redirectWithNotice(ctx, '/admin/users', result.mailed ? 'invited' : 'invited_mail_failed');
}

function checkRole(role: string): void {
  if (!USER_ROLES.includes(role as UserRole)) throw appError('invalid_input', { detail: 'unknown role', message: t('members:choose_role'), field: 'role' });
}
