// The profile of a user, behind a fresh second factor of the admin (GET shows the forms, each POST
// saves one of them):
//
//   POST /admin/users/:id/profile  name and role. Apply at once, except that removing another
//                                  admin's admin role, or making someone an admin while the
//                                  practice has another admin, waits for a second admin.
//   POST /admin/users/:id/email    a new sign-in email: waits for the link sent to it (and, for
//                                  another admin, a second admin); the current address is told.
//   POST /admin/users/:id/phone    a new mobile number: waits for the code texted to it (typed on
//                                  the change's page); removing the number applies at once.
//
// Until a change applies, the old values keep working for sign-in, reset and codes.
import type { Context } from 'koa';
import { applyAccountChange } from '../../accounts/account-change/apply.js';
import { needsApproval, promotionNeedsApproval, requestAccountChange } from '../../accounts/account-change/request.js';
import { nothingChanged } from '../../accounts/changes.js';
import { assertValidEmail } from '../../accounts/email.js';
import { checkPhone } from '../../accounts/practice-users.js';
import type { UserDoc } from '../../accounts/service.js';
import { sendPhoneCode } from '../../account/phone-verification.js';
import { type AppError, appError } from '../../errors.js';
import { formErrors, mistakesOf } from '../../http/form-errors.js';
import type { AccountService } from '../../accounts/service.js';
import type { RateLimits } from '../../security/rate-limits.js';
import type { Models } from '../../store/models/index.js';
import { DeliveryError } from '../../mfa/channels/channel.js';
import { USER_ROLES, type UserRole } from '../../store/models/user.js';
import { adminChange, adminOf, auditAdminAction, formMistake, formText, redirectWithNotice, renderAdminPage, requestWhere } from '../page.js';
import { targetUser, userPath } from './target.js';

import type { Render } from '../../http/render.js';
import type { Config } from '../../config/index.js';
import type { AuditLog } from '../../audit/record.js';
import type Provider from 'oidc-provider';
import type { Mfa } from '../../mfa/index.js';
import type { Logger } from '../../observability/logger.js';
import { t } from '../../i18n/request.js';
/** What this module needs from the composition root (src/app/). */
export interface UsersProfileDeps {
  accounts: AccountService;
  limits: RateLimits;
  models: Models;
  audit: AuditLog;
  config: Config;
  /** The public issuer URL. */
  issuer: string;
  mfa: Mfa;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  render: Render;
  logger: Logger;
}

interface Typed {
  name?: string;
  role?: string;
  email?: string;
  phone?: string;
}

export async function showProfile(ctx: Context, services: UsersProfileDeps, shown?: { user: UserDoc; typed: Typed; error: AppError }): Promise<void> {
  const user = shown?.user ?? (await targetUser(ctx, services));
  const typed = shown?.typed ?? {};
  renderAdminPage(ctx, services, 'admin/user-profile', {
    title: t('admin:profile.title', { name: user.name }),
    mistakes: formErrors(mistakesOf(shown?.error)),
    path: userPath(user),
    isSelf: String(user._id) === adminOf(ctx).userId,
    userIsAdmin: user.role === 'admin',
    roles: USER_ROLES,
    user: { name: user.name, email: user.email, phone: user.phone ?? '', fhirUser: user.fhirUser ?? '' },
    values: { name: typed.name ?? user.name, role: typed.role ?? user.role, email: typed.email ?? '', phone: typed.phone ?? '' },
  }, shown?.error.status ?? 200);
}

export async function saveNameAndRole(ctx: Context, services: UsersProfileDeps): Promise<void> {
  const admin = adminOf(ctx);
  const user = await targetUser(ctx, services);
  const typed = { name: formText(ctx, 'name'), role: formText(ctx, 'role', 20) };
  const role = typed.role as UserRole;
  // Another admin's role, or a new admin while the practice has another: a second admin decides.
  const waits = role !== user.role && USER_ROLES.includes(role) && (role === 'admin'
    ? await promotionNeedsApproval(services, admin.practiceId, admin, user)
    : user.role === 'admin' && needsApproval(user, admin));
  let changes;
  try {
    if (String(user._id) === admin.userId && role !== 'admin') throw mistake(t('admin:profile.self_admin_role'), 'role');
    if (!USER_ROLES.includes(role)) throw mistake(t('members:choose_role'), 'role');
    changes = await adminChange(ctx, services, { event: 'admin.user.updated', userSub: user.sub }, () => services.accounts.updateNameAndRole(admin.practiceId, user._id, { name: typed.name, role: waits ? user.role : role }));
  } catch (err) {
    if (!formMistake(err)) throw err;
    return showProfile(ctx, services, { user, typed, error: err as AppError });
  }
  if (!nothingChanged(changes)) {
    await auditAdminAction(ctx, services, { event: 'admin.user.updated', userSub: user.sub, details: { ...changes } });
  }
  if (waits) {
    const change = await requestAccountChange(services, { user, kind: 'role', after: role, requester: admin, practiceName: admin.practiceName, where: requestWhere(ctx), approvalNeeded: true });
    return redirectWithNotice(ctx, `${userPath(user)}/changes/${change._id}`, 'change_requested');
  }
  redirectWithNotice(ctx, userPath(user), nothingChanged(changes) ? 'unchanged' : 'saved');
}

export async function requestEmailChange(ctx: Context, services: UsersProfileDeps): Promise<void> {
  const admin = adminOf(ctx);
  const user = await targetUser(ctx, services);
  const typed = { email: formText(ctx, 'email') };
  let change;
  try {
    const email = assertValidEmail(typed.email);
    if (email === user.email) return redirectWithNotice(ctx, userPath(user), 'unchanged');
    if (await services.models.User.exists({ email })) {
      throw appError('email_taken', { detail: 'email already registered', field: 'email' });
    }
    // Each request mails a link to the typed address and a notice to the user: limited per user and per admin.
    await services.limits.consumeAll([['account_change', `user:${user.sub}`], ['account_change', `admin:${admin.sub}`]], { practiceId: String(admin.practiceId), ...requestWhere(ctx) });
    change = await requestAccountChange(services, { user, kind: 'email', after: email, requester: admin, practiceName: admin.practiceName, where: requestWhere(ctx) });
  } catch (err) {
    if (err instanceof DeliveryError) return showProfile(ctx, services, { user, typed, error: mistake(t('admin:profile.email_not_sent'), 'email') });
    if (!formMistake(err)) throw err;
    return showProfile(ctx, services, { user, typed, error: err as AppError });
  }
  redirectWithNotice(ctx, `${userPath(user)}/changes/${change._id}`, 'change_requested');
}

export async function requestPhoneChange(ctx: Context, services: UsersProfileDeps): Promise<void> {
  const admin = adminOf(ctx);
  const user = await targetUser(ctx, services);
  const typed = { phone: formText(ctx, 'phone', 40) };
  let phone;
  try {
    phone = checkPhone(typed.phone);
    if (!phone && user.mfaEnabled && user.mfaChannel === 'sms') {
      throw mistake(t('admin:profile.sms_user_needs_phone'), 'phone');
    }
  } catch (err) {
    if (!formMistake(err)) throw err;
    return showProfile(ctx, services, { user, typed, error: err as AppError });
  }
  if ((phone ?? null) === (user.phone ?? null)) return redirectWithNotice(ctx, userPath(user), 'unchanged');
  if (!phone) {
    // Removing a number gives nobody a way in: codes then go to the email address.
    await applyAccountChange({ ...services, notices: services }, { user, kind: 'phone', after: null, actor: { sub: admin.sub, role: 'admin' }, ...requestWhere(ctx) });
    return redirectWithNotice(ctx, userPath(user), 'phone_removed');
  }
  const sent = await sendPhoneCode(services, user, phone, { ...requestWhere(ctx), practiceName: admin.practiceName });
  if (sent.status === 'throttled') return showProfile(ctx, services, { user, typed, error: mistake(t('admin:profile.code_throttled', { seconds: sent.retryInSeconds }), 'phone') });
  if (sent.status === 'delivery_failed') return showProfile(ctx, services, { user, typed, error: mistake(sent.message, 'phone') });
  if (sent.status === 'capped') return showProfile(ctx, services, { user, typed, error: appError('codes_capped', { message: tooManyCodes(sent.retryInSeconds), field: 'phone' }) });
  const change = await requestAccountChange(services, { user, kind: 'phone', after: phone, requester: admin, practiceName: admin.practiceName, where: requestWhere(ctx) });
  redirectWithNotice(ctx, `${userPath(user)}/changes/${change._id}`, 'code_sent');
}

/** The user's cap on code messages (src/mfa/code-message-cap.ts) refused it: nothing was sent. */
export const tooManyCodes = (retryInSeconds: number) => t('admin:profile.codes_capped', { minutes: Math.ceil(retryInSeconds / 60) });

function mistake(message: string, field?: string): AppError {
  return appError('invalid_input', { message, ...(field ? { field } : {}) });
}
