// Setting a user's `fhirUser` reference: the one function the admin page and the CLI call.
import type { Types } from 'mongoose';
import { AppError } from '../errors.js';
import type { Models } from '../store/models/index.js';
import { fhirUserProblem } from './fhir-user.js';

export interface FhirUserDeps {
  models: Pick<Models, 'User'>;
}

/**
 * Sets (or with an empty value clears) the user's FHIR resource reference. `practiceId` limits an
 * admin to the users of their practice. Returns the change, or undefined when nothing changed.
 */
export async function setFhirUser(deps: FhirUserDeps, userId: Types.ObjectId, reference: string, practiceId?: Types.ObjectId): Promise<{ fhirUser: { before: string | null; after: string | null } } | undefined> {
  const after = reference.trim();
  if (after) {
    const problem = fhirUserProblem(after);
    if (problem) throw new AppError(problem, { status: 400, code: 'invalid_input', userMessage: problem });
  }
  const filter = { _id: userId, ...(practiceId ? { practiceId } : {}) };
  const user = await deps.models.User.findOne(filter, { fhirUser: 1 }).lean();
  if (!user) throw new AppError('user not found', { status: 404, code: 'user_not_found', userMessage: 'No such user.' });
  const before = user.fhirUser ?? null;
  if ((before ?? '') === after) return undefined;
  await deps.models.User.updateOne(filter, after ? { $set: { fhirUser: after } } : { $unset: { fhirUser: 1 } });
  return { fhirUser: { before, after: after || null } };
}
