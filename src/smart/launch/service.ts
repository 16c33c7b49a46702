// EHR launch values: issued to an EHR module for one app and one context, claimed once by that
// app's authorization request within LAUNCH_LIFETIME_MS, then found again by the code it produced.
import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { Models } from '../../store/models/index.js';
import type { SmartLaunchContext } from '../../store/models/smart-launch.js';

/** How long a launch value may start an authorization request (checked by our clock, not the TTL). */
export const LAUNCH_LIFETIME_MS = 5 * 60 * 1000;
/** The record is tidied away this long after it was issued. */
const RECORD_TTL_MS = 24 * 60 * 60 * 1000;

export interface LaunchDeps {
  models: Pick<Models, 'SmartLaunch'>;
  now: () => number;
}

export const hashLaunch = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');

export async function issueLaunch(deps: LaunchDeps, input: { appClientId: string; ehrClientId: string; practiceId: Types.ObjectId; context: SmartLaunchContext }): Promise<{ launch: string; expiresIn: number }> {
  const launch = randomBytes(32).toString('base64url');
  const now = deps.now();
  await deps.models.SmartLaunch.create({
    _id: hashLaunch(launch), ...input,
    createdAt: new Date(now), usableUntil: new Date(now + LAUNCH_LIFETIME_MS), expiresAt: new Date(now + RECORD_TTL_MS),
  });
  return { launch, expiresIn: LAUNCH_LIFETIME_MS / 1000 };
}

export type ClaimRefusal = 'unknown' | 'other_client' | 'expired' | 'used';

/**
 * Claims the launch for `clientId`'s authorization request: one compare-and-set, so two requests
 * racing with the same value cannot both win. Another client's value is refused without burning it.
 */
export async function claimLaunch(deps: LaunchDeps, launch: string, clientId: string): Promise<ClaimRefusal | undefined> {
  const id = hashLaunch(launch);
  const found = await deps.models.SmartLaunch.findById(id, { appClientId: 1, usableUntil: 1, claimedAt: 1 }).lean();
  if (!found) return 'unknown';
  if (found.appClientId !== clientId) return 'other_client';
  const now = new Date(deps.now());
  if (found.usableUntil <= now) return 'expired';
  const claimed = await deps.models.SmartLaunch.updateOne({ _id: id, appClientId: clientId, claimedAt: { $exists: false } }, { $set: { claimedAt: now } });
  return claimed.modifiedCount === 1 ? undefined : 'used';
}

/** Records the code the claimed launch produced. */
export async function bindLaunchToCode(deps: LaunchDeps, launch: string, codeId: string): Promise<void> {
  await deps.models.SmartLaunch.updateOne({ _id: hashLaunch(launch), claimedAt: { $exists: true }, codeId: { $exists: false } }, { $set: { codeId } });
}

export async function launchForCode(deps: LaunchDeps, codeId: string) {
  return deps.models.SmartLaunch.findOne({ codeId }, { context: 1, practiceId: 1, appClientId: 1, picker: 1 }).lean();
}

export function isObjectId(value: string): boolean {
  return Types.ObjectId.isValid(value) && /^[0-9a-f]{24}$/i.test(value);
}
