// POST /admin/users/:id/fhir-user: an admin sets the user's FHIR resource (SMART `fhirUser`), on
// the user's profile page, behind the same fresh second factor as the other profile forms.
import type { Context } from 'koa';
import { adminChange, adminOf, auditAdminAction, formMistake, formText, redirectWithNotice } from '../page.js';
import { showProfile } from './profile.js';
import { targetUser, userPath } from './target.js';
import type { AppError } from '../../errors.js';
import { setFhirUser, type FhirUserDeps } from '../../smart/fhir-user-service.js';
import type { UsersProfileDeps } from './profile.js';

export type FhirUserAdminDeps = UsersProfileDeps & FhirUserDeps;

export async function saveFhirUser(ctx: Context, services: FhirUserAdminDeps): Promise<void> {
  const admin = adminOf(ctx);
  const user = await targetUser(ctx, services);
  const reference = formText(ctx, 'fhirUser', 200);
  let change;
  try {
    change = await adminChange(ctx, services, { event: 'admin.user.updated', userSub: user.sub }, () => setFhirUser(services, user._id, reference, admin.practiceId));
  } catch (err) {
    if (!formMistake(err)) throw err;
    return showProfile(ctx, services, { user, typed: {}, error: err as AppError });
  }
  if (change) await auditAdminAction(ctx, services, { event: 'admin.user.updated', userSub: user.sub, details: { ...change } });
  redirectWithNotice(ctx, userPath(user), change ? 'saved' : 'unchanged');
}
