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

const KIND_NAMES = { totp: 'Authenticator app', recovery: 'Recovery codes', webauthn: 'Passkey or security key' } as const;

export interface FactorRow { id: string; kind: string; name: string; added: string; lastUsed: string | null; detail: string | null }

export async function factorsOf(services: Pick<AppServices, "models">, user: UserDoc): Promise<FactorRow[]> {
  const docs = await services.models.UserFactor.find({ userId: user._id, $or: [{ confirmedAt: { $exists: true } }, { kind: 'recovery' }] }).sort({ createdAt: 1 }).lean();
  return docs.map((doc) => ({
    id: doc._id.toHexString(),
    kind: KIND_NAMES[doc.kind],
    name: doc.name,
    added: doc.createdAt.toISOString().slice(0, 10),
    lastUsed: doc.lastUsedAt ? doc.lastUsedAt.toISOString().slice(0, 10) : null,
    detail: doc.kind === 'recovery' ? `${doc.codes?.length ?? 0} unused` : null,
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
  await sendSecurityNotice(services, user, {
    subject: 'A sign-in method was removed from your account',
    summary: `Your practice administrator ${adminOf(ctx).name} removed "${doc.name}" (${KIND_NAMES[doc.kind].toLowerCase()}) from your account: it no longer signs you in.`,
    at: new Date(services.now()), ...(practice ? { practiceName: practice.name } : {}),
  });
  redirectWithNotice(ctx, userPath(user), 'factor_removed');
}
