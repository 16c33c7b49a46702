// Setting a user's `fhirUser` reference: the one function the admin page and the CLI call.
import type { Types } from 'mongoose';
import { appError } from '../errors.js';
import type { Models } from '../store/models/index.js';
import { fhirUserProblem } from './fhir-user.js';

export interface FhirUserDeps {
  models: Pick<Models, 'User' | 'Membership'>;
}

/**
 * Sets (or with an empty value clears) the user's FHIR resource reference. `practiceId` limits an
 * admin to the users of their practice. Returns the change, or undefined when nothing changed.
 */
export async function setFhirUser(deps: FhirUserDeps, userId: Types.ObjectId, reference: string, practiceId?: Types.ObjectId): Promise<{ fhirUser: { before: string | null; after: string | null } } | undefined> {
  const after = reference.trim();
  if (after) {
    const problem = fhirUserProblem(after);
    if (problem) throw appError('invalid_input', { message: problem });
  }
  const filter = { _id: userId };
  // An admin's change: only for a member of the admin's practice.
  if (practiceId && !(await deps.models.Membership.exists({ userId, practiceId }))) throw appError('user_not_found');
  const user = await deps.models.User.findOne(filter, { fhirUser: 1 }).lean();
  if (!user) throw appError('user_not_found');
  const before = user.fhirUser ?? null;
  if ((before ?? '') === after) return undefined;
  await deps.models.User.updateOne(filter, after ? { $set: { fhirUser: after } } : { $unset: { fhirUser: 1 } });
  return { fhirUser: { before, after: after || null } };
}
