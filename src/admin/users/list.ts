// GET /admin/users: the practice's users, searched by name or email, 25 a page.
import type { Context } from 'koa';
import type { AppServices } from '../../http/services.js';
import { adminOf, noticeFrom, renderAdminPage } from '../page.js';
import { USER_NOTICES } from './target.js';

export async function listUsers(ctx: Context, services: AppServices): Promise<void> {
  const admin = adminOf(ctx);
  const search = typeof ctx.query.q === 'string' ? ctx.query.q.slice(0, 100) : '';
  const asked = typeof ctx.query.page === 'string' ? Number.parseInt(ctx.query.page, 10) : 1;
  const result = await services.accounts.listPracticeUsers(admin.practiceId, { search, page: asked });
  const pageLink = (page: number) => `/admin/users?${new URLSearchParams({ ...(search ? { q: search } : {}), page: String(page) })}`;
  renderAdminPage(ctx, services, 'admin/users', {
    title: 'Users',
    notice: noticeFrom(ctx, USER_NOTICES),
    search,
    total: result.total,
    page: result.page,
    pages: result.pages,
    previous: result.page > 1 ? pageLink(result.page - 1) : undefined,
    next: result.page < result.pages ? pageLink(result.page + 1) : undefined,
    users: result.users.map((user) => ({
      id: String(user._id),
      name: user.name,
      email: user.email,
      role: user.role,
      active: user.active,
      mfaEnabled: user.mfaEnabled,
      locked: services.mfa.lockout.status(user).locked,
    })),
  });
}
