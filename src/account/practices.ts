// The person's practices (issue 19), under /account:
//   GET  /practices                  memberships (practice, role, status), invitations waiting, default practice
//   POST /practices/default          the practice the sign-in offers first (one of their active ones, or none)
//   POST /practices/:id/accept | /decline    a pending invitation, from this list
//   GET  /practices/:id/leave        confirmation (or why not: the last active practice, the last admin)
//   POST /practices/:id/leave        leave: the membership removed, the sign-ins that entered it ended
import { t } from '../i18n/request.js';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { Types } from 'mongoose';
import type Provider from 'oidc-provider';
import { createMemberships } from '../accounts/memberships.js';
import { createPracticeJoining } from '../accounts/practice-joining.js';
import { acceptPending, declineInvitation } from '../commands/join-practice.js';
import { canLeave, leavePractice, type LeavePracticeDeps } from '../commands/leave-practice.js';
import { signedIn } from '../console/guard.js';
import { NotFoundError } from '../errors.js';
import { endPracticeEntries } from '../sessions/end-sessions.js';
import type { AuditLog } from '../audit/record.js';
import type { Render } from '../http/render.js';
import type { Logger } from '../observability/logger.js';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import { redirectTo } from './invitations.js';
import { formText, renderAccountPage, requestWhere } from './page.js';

/** What this module needs from the composition root (src/app/). */
export interface AccountPracticesDeps {
  audit: AuditLog;
  models: Models;
  /** The public issuer URL. */
  issuer: string;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  render: Render;
  logger: Logger;
  mfa: Mfa;
}

const NOTICES = ['joined', 'declined', 'left', 'default', 'unchanged'];

export function registerPracticeRoutes(router: Router, services: AccountPracticesDeps): void {
  const memberships = createMemberships(services);
  const joining = createPracticeJoining(services);
  const leaveDeps: LeavePracticeDeps = {
    audit: services.audit, memberships,
    activeAdmins: (practiceId) => services.models.Membership.countDocuments({ practiceId, role: 'admin', status: 'active' }),
    endEntries: (sub, entries) => endPracticeEntries(services.provider(), services.models, sub, entries),
  };
  const practiceParam = (ctx: Context) => {
    const id = ctx.params.id ?? '';
    if (!/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError('malformed practice id');
    return new Types.ObjectId(id);
  };
  const namesOf = async (ids: Types.ObjectId[]) => new Map((await services.models.Practice.find({ _id: { $in: ids } }, { name: 1 }).lean()).map((p) => [String(p._id), p.name]));

  router.get('/practices', async (ctx) => {
    const { user } = signedIn(ctx);
    const [mine, pending, identity] = await Promise.all([
      memberships.listMemberships(user._id), joining.invitations.pendingFor(user._id), services.models.User.findById(user._id, { defaultPracticeId: 1 }).lean(),
    ]);
    const names = await namesOf([...mine.map((m) => m.practiceId), ...pending.map((i) => i.practiceId)]);
    const notice = typeof ctx.query.notice === 'string' && NOTICES.includes(ctx.query.notice) ? t(`members:account.notices.${ctx.query.notice}`) : undefined;
    const joined = mine.filter((m) => m.status !== 'invited');
    renderAccountPage(ctx, services, 'practices', {
      title: t('members:account.title'),
      ...(notice ? { notice } : {}),
      practices: joined.map((m) => ({
        id: String(m.practiceId), name: names.get(String(m.practiceId)) ?? '', role: t(`members:roles.${m.role}`), status: t(`members:status.${m.status}`),
        active: m.status === 'active', isDefault: String(identity?.defaultPracticeId ?? '') === String(m.practiceId),
      })),
      invitations: pending.map((i) => ({ id: String(i.practiceId), practice: names.get(String(i.practiceId)) ?? '', role: t(`members:roles.${i.role}`) })),
    });
  });

  router.post('/practices/default', async (ctx) => {
    const { user } = signedIn(ctx);
    const chosen = formText(ctx, 'practice', 30);
    const practiceId = /^[0-9a-f]{24}$/i.test(chosen) ? new Types.ObjectId(chosen) : null;
    const before = (await services.models.User.findById(user._id, { defaultPracticeId: 1 }).lean())?.defaultPracticeId ?? null;
    if (String(before) === String(practiceId)) return redirectTo(ctx, 'unchanged');
    // Only one of their own active practices (else: not found, nothing stored).
    await memberships.setDefaultPractice(user._id, practiceId);
    await services.audit.record({
      event: 'user.settings_changed', outcome: 'success', userSub: user.sub, ...requestWhere(ctx),
      ...(practiceId ?? before ? { practiceId: (practiceId ?? before)! } : {}),
      details: { before: { defaultPractice: before ? String(before) : null }, after: { defaultPractice: practiceId ? String(practiceId) : null } },
    });
    redirectTo(ctx, 'default');
  });

  router.post('/practices/:id/accept', async (ctx) => {
    const { user } = signedIn(ctx);
    if (!(await acceptPending({ audit: services.audit, joining }, user, practiceParam(ctx), requestWhere(ctx)))) return redirectTo(ctx, 'unchanged');
    redirectTo(ctx, 'joined');
  });

  router.post('/practices/:id/decline', async (ctx) => {
    const { user } = signedIn(ctx);
    if (!(await declineInvitation({ audit: services.audit, joining }, user, practiceParam(ctx), requestWhere(ctx)))) return redirectTo(ctx, 'unchanged');
    redirectTo(ctx, 'declined');
  });

  const showLeave = async (ctx: Context) => {
    const { user } = signedIn(ctx);
    const practiceId = practiceParam(ctx);
    const check = await canLeave(leaveDeps, user, practiceId);
    if (!check.ok && check.reason === 'not_member') throw new NotFoundError('not a member');
    const practice = (await namesOf([practiceId])).get(String(practiceId)) ?? '';
    renderAccountPage(ctx, services, 'leave-practice', {
      title: t('members:account.leave_title', { practice }),
      practice, action: `/account/practices/${String(practiceId)}/leave`,
      refusal: check.ok ? null : t(`members:account.leave_${check.reason}`, { practice }),
    }, check.ok ? 200 : 409);
  };
  router.get('/practices/:id/leave', showLeave);
  router.post('/practices/:id/leave', async (ctx) => {
    const { user } = signedIn(ctx);
    const result = await leavePractice(leaveDeps, user, practiceParam(ctx), requestWhere(ctx));
    if (!result.ok) return showLeave(ctx);
    // Leaving the practice this browser is in ends this browser's session too: back to /account signs in again.
    redirectTo(ctx, 'left');
  });
}
