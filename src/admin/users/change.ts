// GET/POST /admin/users/:id/changes/:change: one pending change of a user (email, phone or another
// admin's role). Any admin of the practice may open it; the form's `action` says what to do:
//
//   code     the code texted to the new number (the user reads it out): the number is proven
//   resend   a new code to the new number (the usual resend throttle applies)
//   approve  a second admin agrees (never the admin who asked; the user themself when an admin)
//   refuse   another admin says no; `withdraw` is the requester taking it back
//
// The last missing step applies the change (src/accounts/account-change/). Approving and refusing
// need a fresh second factor (routes.ts); the code may be typed up to the code's own lifetime later.
import type { Context } from 'koa';
import { approveAccountChange, cancelAccountChange, markProven, refuseAccountChange, type StepResult } from '../../accounts/account-change/decide.js';
import { isOpen } from '../../accounts/account-change/record.js';
import type { UserDoc } from '../../accounts/service.js';
import { checkPhoneCode, sendPhoneCode } from '../../account/phone-verification.js';
import { appError, NotFoundError } from '../../errors.js';
import type { Models } from '../../store/models/index.js';
import { maskPhone } from '../../mfa/channels/mask.js';
import type { AccountChange } from '../../store/models/account-change.js';
import { adminOf, formText, noticeFrom, redirectWithNotice, renderAdminPage, requestWhere } from '../page.js';
import { describeChange } from './change-view.js';
import { tooManyCodes } from './profile.js';
import { targetUser, userPath, USER_NOTICES } from './target.js';

import type { Render } from '../../http/render.js';
import type { Config } from '../../config/index.js';
import type { AuditLog } from '../../audit/record.js';
import type { AccountService } from '../../accounts/service.js';
import type Provider from 'oidc-provider';
import type { Mfa } from '../../mfa/index.js';
import type { Logger } from '../../observability/logger.js';
import { t } from '../../i18n/request.js';
/** What this module needs from the composition root (src/app/). */
export interface UsersChangeDeps {
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  accounts: AccountService;
  audit: AuditLog;
  config: Config;
  /** The public issuer URL. */
  issuer: string;
  mfa: Mfa;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  render: Render;
  logger: Logger;
}

export const CHANGE_ACTIONS = ['code', 'resend', 'approve', 'refuse', 'withdraw'] as const;

async function targetChange(ctx: Context, services: UsersChangeDeps): Promise<{ user: UserDoc; change: AccountChange }> {
  const user = await targetUser(ctx, services);
  const id = String(ctx.params.change ?? '');
  const change = /^[0-9a-f]{24}$/.test(id)
    ? await services.models.AccountChange.findOne({ _id: id, practiceId: user.practiceId, userSub: user.sub }).lean<AccountChange>()
    : null;
  if (!change || !isOpen(change, services.now())) throw new NotFoundError('no such open change');
  return { user, change };
}

export async function showChange(ctx: Context, services: UsersChangeDeps, shown?: { error: string; status?: number }): Promise<void> {
  const { user, change } = await targetChange(ctx, services);
  const requester = await services.models.User.findOne({ sub: change.requestedBy.sub }, { name: 1 }).lean();
  renderAdminPage(ctx, services, 'admin/user-change', {
    title: t('admin:change.page_title', { name: user.name }),
    notice: shown ? undefined : noticeFrom(ctx, USER_NOTICES),
    error: shown?.error,
    userPath: userPath(user),
    path: ctx.path,
    userName: user.name,
    requesterName: requester?.name ?? change.requestedBy.sub,
    destination: change.kind === 'phone' ? maskPhone(change.after) : undefined,
    change: describeChange(change, adminOf(ctx)),
  }, shown ? shown.status ?? 400 : 200);
}

export async function actOnChange(ctx: Context, services: UsersChangeDeps): Promise<void> {
  const admin = adminOf(ctx);
  const { user, change } = await targetChange(ctx, services);
  const where = requestWhere(ctx);
  const action = formText(ctx, 'action', 20);
  const mine = change.requestedBy.sub === admin.sub;
  let result: StepResult;
  switch (action) {
    case 'code': {
      if (change.kind !== 'phone' || change.provenAt) return showChange(ctx, services, { error: t('admin:change.no_code_wait') });
      const checked = await checkPhoneCode(services, user, change.after, formText(ctx, 'code', 20), where);
      if (checked.outcome === 'malformed') return showChange(ctx, services, { error: t('admin:change.code_malformed') });
      if (checked.outcome === 'wrong' && checked.attemptsLeft > 0) return showChange(ctx, services, { error: t('admin:change.code_wrong', { count: checked.attemptsLeft }) });
      if (checked.outcome !== 'ok') return showChange(ctx, services, { error: t('admin:change.code_used_up') });
      result = await markProven(services, change, where, admin);
      break;
    }
    case 'resend': {
      if (change.kind !== 'phone' || change.provenAt) return showChange(ctx, services, { error: t('admin:change.no_code_wait') });
      const sent = await sendPhoneCode(services, user, change.after, { ...where, practiceName: admin.practiceName });
      if (sent.status === 'throttled') return showChange(ctx, services, { error: t('account:phone.throttled', { seconds: sent.retryInSeconds }) });
      if (sent.status === 'delivery_failed') return showChange(ctx, services, { error: sent.message });
      if (sent.status === 'capped') return showChange(ctx, services, { error: tooManyCodes(sent.retryInSeconds), status: 429 });
      return redirectWithNotice(ctx, ctx.path, 'code_sent');
    }
    case 'approve':
      if (mine) throw appError('own_change_approval', { detail: 'requester approving their own change' });
      if (!change.approvalNeeded || change.approvedBy) return showChange(ctx, services, { error: t('admin:change.no_approval_wait') });
      result = await approveAccountChange(services, change, admin, where);
      break;
    case 'refuse':
    case 'withdraw':
      if (mine) await cancelAccountChange(services, change, { reason: 'by_admin', by: admin, where });
      else await refuseAccountChange(services, change, admin, where);
      return redirectWithNotice(ctx, userPath(user), mine ? 'change_withdrawn' : 'change_refused');
    default:
      return showChange(ctx, services, { error: t('admin:change.choose_action') });
  }
  if (result.status === 'applied') return redirectWithNotice(ctx, userPath(user), 'change_applied');
  if (result.status === 'gone') return redirectWithNotice(ctx, userPath(user), 'change_gone');
  redirectWithNotice(ctx, ctx.path, result.waitingFor.includes('proof') ? 'change_approved' : 'change_waiting');
}
