// Forget every browser the user completed a code on: the next sign-in anywhere is a new device.
import type { Types } from 'mongoose';
import type { AuditLog } from '../audit/record.js';
import { assertInScope, type Actor } from './actor.js';
import { change, recordChange } from './audited.js';
import { target, type TargetUser } from './deps.js';

export interface ForgetDevicesDeps {
  audit: AuditLog;
  /** How many known devices were forgotten (src/mfa/known-devices.ts). */
  forgetAll(userId: Types.ObjectId): Promise<number>;
}

export async function forgetDevices(deps: ForgetDevicesDeps, actor: Actor, user: TargetUser): Promise<number> {
  assertInScope(actor, user.practiceId);
  const forgotten = await change(deps.audit, actor, target(user), 'device.forgotten', () => deps.forgetAll(user._id));
  if (forgotten > 0) await recordChange(deps.audit, actor, target(user), 'device.forgotten', { before: { knownDevices: forgotten }, after: { knownDevices: 0 } });
  return forgotten;
}
