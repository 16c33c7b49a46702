// The user's second factors on their admin page (authenticator app, recovery codes, passkeys and
// security keys), and POST /admin/users/:id/factors/:factor/remove: an admin removes one (a lost
// phone or key). Intent-first audited (factor.removed with the admin as actor) and emailed to the
// user. The user keeps the emailed code, so they can sign in and enrol again.
import type { Context } from 'koa';
import { Types } from 'mongoose';
import type { UserDoc } from '../../accounts/service.js';
import type { UsersRoutesDeps as AppServices } from './routes.js';
import { sendSecurityNotice } from '../../notifications/security-notice.js';
import { adminChange, adminOf, auditAdminAction, redirectWithNotice } from '../page.js';
import { targetUser, userPath } from './target.js';
import { t, withLanguage } from '../../i18n/request.js';
import { formatDay } from '../../i18n/dates.js';
import { recipientLanguage } from '../../i18n/languages.js';


export interface FactorRow { id: string; kind: string; name: string; added: string; lastUsed: string | null; detail: string | null }

export async function factorsOf(services: Pick<AppServices, "models">, user: UserDoc, zone?: string | null): Promise<FactorRow[]> {
  const docs = await services.models.UserFactor.find({ userId: user._id, $or: [{ confirmedAt: { $exists: true } }, { kind: 'recovery' }] }).sort({ createdAt: 1 }).lean();
  return docs.map((doc) => ({
    id: doc._id.toHexString(),
    kind: t(`admin:user.kind.${doc.kind}`),
    name: doc.name,
    added: formatDay(doc.createdAt, zone),
    lastUsed: doc.lastUsedAt ? formatDay(doc.lastUsedAt, zone) : null,
    detail: doc.kind === 'recovery' ? t('admin:user.factor_unused_codes', { count: doc.codes?.length ?? 0 }) : null,
  }));
}

export async function removeFactor(ctx: Context, services: AppServices): Promise<void> {
  const user = await targetUser(ctx, services);
  const id = String(ctx.params.factor ?? '');
  const doc = Types.ObjectId.isValid(id) ? await services.models.UserFactor.findOne({ _id: id, userId: user._id }).lean() : null;
  if (!doc) return redirectWithNotice(ctx, userPath(user), 'unchanged');
  const removed = await adminChange(ctx, services, { event: 'factor.removed', userSub: user.sub },
    async () => (await services.models.UserFactor.deleteOne({ _id: doc._id, userId: user._id })).deletedCount);
  if (!removed) return redirectWithNotice(ctx, userPath(user), 'unchanged');
  await auditAdminAction(ctx, services, { event: 'factor.removed', userSub: user.sub, details: { factor: doc.kind, name: doc.name } });
  const practice = await services.models.Practice.findById(user.practiceId, { name: 1 }).lean();
  // In the user's language (the one they last signed in with, else their practice's), not the admin's.
  const language = recipientLanguage(user, await services.models.Practice.findById(user.practiceId, { language: 1 }).lean());
  await sendSecurityNotice(services, user, withLanguage(language, () => ({
    subject: t('admin:user.factor_removed_subject'),
    summary: t('admin:user.factor_removed_summary', { admin: adminOf(ctx).name, name: doc.name, kind: t(`admin:user.kind.${doc.kind}`).toLowerCase() }),
    language,
    at: new Date(services.now()), ...(practice ? { practiceName: practice.name } : {}),
  })));
  redirectWithNotice(ctx, userPath(user), 'factor_removed');
}
