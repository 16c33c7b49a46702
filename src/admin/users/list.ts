// GET /admin/users: the practice's users, searched by name or email, 25 a page.
import type { Context } from 'koa';
import type { AccountService } from '../../accounts/service.js';
import type { Mfa } from '../../mfa/index.js';
import type { Models } from '../../store/models/index.js';
import { adminOf, noticeFrom, renderAdminPage } from '../page.js';
import type { AccountChange } from '../../store/models/account-change.js';
import { describeChange } from './change-view.js';
import { invitationNotice, invitedRows } from './invited.js';
import { USER_NOTICES } from './target.js';

import type { Render } from '../../http/render.js';
import type { AuditLog } from '../../audit/record.js';
import { t } from '../../i18n/request.js';
/** What this module needs from the composition root (src/app/). */
export interface UsersListDeps {
  accounts: AccountService;
  mfa: Mfa;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  audit: AuditLog;
  render: Render;
}

export async function listUsers(ctx: Context, services: UsersListDeps): Promise<void> {
  const admin = adminOf(ctx);
  const search = typeof ctx.query.q === 'string' ? ctx.query.q.slice(0, 100) : '';
  const asked = typeof ctx.query.page === 'string' ? Number.parseInt(ctx.query.page, 10) : 1;
  const result = await services.accounts.listPracticeUsers(admin.practiceId, { search, page: asked });
  // People invited and not yet joined: what the admin typed, first on the first page (invited.ts).
  const invited = await invitedRows(services, admin.practiceId, search);
  // Changes to an admin asked for by someone else: this admin may be the second one they wait for.
  const now = new Date(services.now());
  const awaiting = await services.models.AccountChange.find({
    practiceId: admin.practiceId, approvalNeeded: true, approvedBy: { $exists: false }, 'requestedBy.sub': { $ne: admin.sub }, expiresAt: { $gt: now },
  }).sort({ requestedAt: 1 }).limit(50).lean<AccountChange[]>();
  const people = await services.models.User.find(await services.accounts.memberships.inPractice(admin.practiceId, { sub: { $in: awaiting.map((change) => change.userSub) } }) as Record<string, unknown>, { sub: 1, name: 1 }).lean();
  const pageLink = (page: number) => `/admin/users?${new URLSearchParams({ ...(search ? { q: search } : {}), page: String(page) })}`;
  renderAdminPage(ctx, services, 'admin/users', {
    title: t('admin:users.title'),
    notice: noticeFrom(ctx, USER_NOTICES) ?? invitationNotice(ctx),
    search,
    total: result.total + invited.length,
    page: result.page,
    pages: result.pages,
    previous: result.page > 1 ? pageLink(result.page - 1) : undefined,
    next: result.page < result.pages ? pageLink(result.page + 1) : undefined,
    awaiting: awaiting.flatMap((change) => {
      const person = people.find((candidate) => candidate.sub === change.userSub);
      return person ? [{ ...describeChange(change, admin), name: person.name, path: `/admin/users/${String(person._id)}/changes/${change._id}` }] : [];
    }),
    users: [...(result.page === 1 ? invited : []), ...result.users.map((user) => ({
      id: String(user._id),
      name: user.name,
      email: user.email,
      role: user.role,
      active: user.active,
      mfaEnabled: user.mfaEnabled,
      locked: services.mfa.lockout.status(user).locked,
      invited: false,
    }))],
  });
}
