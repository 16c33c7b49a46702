// What a practice admin may change of a person (issue 19). The identity (name, email, mobile number,
// password, second factors, FHIR user) is shared by every practice the person works for, so an
// admin of practice A changes it only while the identity belongs to no other practice (a
// membership elsewhere that is active or deactivated). An invitation not yet answered does not
// count: it grants nothing, and counting it would tell A that B invited its clinician. Otherwise the identity is the person's own
// (/account); the admin still changes what is the practice's: role, two-step sign-in, status,
// devices and sessions of this practice's sign-ins. Without this, an admin of A could take over a
// clinician's access to B by changing their email or removing their factors.
import type { Context, Next } from 'koa';
import { Types } from 'mongoose';
import { appError } from '../../errors.js';
import { t } from '../../i18n/request.js';
import type { Models } from '../../store/models/index.js';
import { adminOf } from '../page.js';

/**
 * Whether the identity :id is a member of the admin's practice AND of another. Not a member here:
 * false, so the route answers its usual 404 (whether the id exists elsewhere is not told).
 */
export async function sharedWithAnotherPractice(models: Pick<Models, 'Membership'>, practiceId: Types.ObjectId, userId: string | undefined): Promise<boolean> {
  if (!userId || !/^[0-9a-f]{24}$/i.test(userId)) return false;
  const id = new Types.ObjectId(userId);
  if (!(await models.Membership.exists({ userId: id, practiceId }))) return false;
  return Boolean(await models.Membership.exists({ userId: id, practiceId: { $ne: practiceId }, status: { $in: ['active', 'deactivated'] } }));
}

/**
 * Refuses a change of identity fields of a shared identity (a 400 with the reason). `nameOnly`:
 * the profile form, where the role may change but the name (an identity field) must stay.
 */
export function identityFieldsGuard(services: { models: Models }, options: { nameOnly?: boolean } = {}) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const { practiceId } = adminOf(ctx);
    if (await sharedWithAnotherPractice(services.models, practiceId, ctx.params.id)) {
      const user = options.nameOnly ? await services.models.User.findById(ctx.params.id, { name: 1 }).lean() : null;
      const typedName = String(ctx.state.form?.name ?? '').trim();
      if (!options.nameOnly || (user && typedName !== user.name)) {
        throw appError('invalid_input', { detail: 'identity shared with another practice', message: t('members:admin.identity_shared'), ...(options.nameOnly ? { field: 'name' } : {}) });
      }
    }
    await next();
  };
}
