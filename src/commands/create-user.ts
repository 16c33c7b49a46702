// A new user of a practice, audited intent-first as admin.user.created with what was created (never
// the password). An admin creates users in their own practice only; what follows is the surface's:
// the admin pages mail an invitation to set a password, the operator may pipe in a first password.
import type { Types } from 'mongoose';
import type { CreateUserInput, UserDoc } from '../accounts/service.js';
import type { AuditLog } from '../audit/record.js';
import type { Actor } from './actor.js';
import { change, recordChange } from './audited.js';

export interface CreateUserDeps {
  audit: AuditLog;
  accounts: { createUser(input: CreateUserInput): Promise<UserDoc> };
}

/** Throws the account service's 400/409 AppErrors (bad field, email taken) before anything is stored. */
export async function createUser(deps: CreateUserDeps, actor: Actor, input: CreateUserInput): Promise<UserDoc> {
  const practiceId: Types.ObjectId | string = actor.kind === 'admin' ? actor.practiceId : input.practiceId;
  const user = await change(deps.audit, actor, { practiceId }, 'admin.user.created', () => deps.accounts.createUser({ ...input, practiceId }));
  await recordChange(deps.audit, actor, { practiceId, userSub: user.sub }, 'admin.user.created', {
    before: null, after: { name: user.name, email: user.email, role: user.role },
  });
  return user;
}
