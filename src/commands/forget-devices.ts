// Forget a user's known devices, so the next sign-in on them asks for a code. Known devices are per
// practice (src/mfa/known-devices.ts): an admin forgets their own practice's only, so another
// practice's risk rules keep theirs and the admin learns nothing of them. The operator names a
// practice, or forgets every device of the person.
import type { Types } from 'mongoose';
import type { AuditLog } from '../audit/record.js';
import { assertInScope, type Actor } from './actor.js';
import { change, recordChange } from './audited.js';
import type { TargetUser } from './deps.js';

export interface ForgetDevicesDeps {
  audit: AuditLog;
  /** Forgets the devices one practice knows (its tag; a device left with none is deleted), or all of them; how many (src/mfa/known-devices.ts). */
  forgetDevices(userId: Types.ObjectId, practiceId: Types.ObjectId | undefined): Promise<number>;
}

/** `practiceId`: the practice whose devices are forgotten (an admin: always their own); undefined: every device (operator only). */
export async function forgetDevices(deps: ForgetDevicesDeps, actor: Actor, user: TargetUser, practiceId?: Types.ObjectId): Promise<number> {
  assertInScope(actor, user.practiceId);
  const scope = actor.kind === 'admin' ? actor.practiceId : practiceId;
  const about = { practiceId: scope ?? user.practiceId, userSub: user.sub };
  const forgotten = await change(deps.audit, actor, about, 'device.forgotten', () => deps.forgetDevices(user._id, scope));
  if (forgotten > 0) await recordChange(deps.audit, actor, about, 'device.forgotten', { before: { knownDevices: forgotten }, after: { knownDevices: 0 } });
  return forgotten;
}
