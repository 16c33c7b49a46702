// The state of one trip to a patient picker, kept as a SmartLaunch record (so the token endpoint
// finds a chosen patient exactly as it finds an EHR launch's, by the code, in one read):
//
//   issuePickerState   a 256-bit state, stored as SHA-256, bound to the interaction, the browser
//                      session and the user; an earlier unused state of the interaction is dropped
//   acceptSelection    the state of a verified selection: same interaction, session and user, in
//                      time, not used (one compare-and-set) → the record holds the patient
//   cancelPicker       the same checks for a picker that returns "cancelled"; burns the state
//   bindPickerToCode   at the resume, the record learns the code it produced (for that user only)
import { randomBytes } from 'node:crypto';
import { hashLaunch, type LaunchDeps } from '../launch/service.js';
import type { Selection } from './selection.js';

/** The interaction result key holding the id of the picker record with the chosen patient. */
export const PICKER_RESULT = 'smartPatient';
/** How long the browser may spend in the picker. */
export const PICKER_STATE_LIFETIME_MS = 10 * 60 * 1000;
const RECORD_TTL_MS = 24 * 60 * 60 * 1000;

export interface PickerBinding {
  interactionUid: string;
  sessionUid: string;
  accountId: string;
}

export type StateRefusal = 'unknown' | 'other_interaction' | 'expired' | 'used';

export async function issuePickerState(deps: LaunchDeps, input: { appClientId: string; pickerId: string; binding: PickerBinding }): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  const now = deps.now();
  await deps.models.SmartLaunch.deleteMany({ 'picker.interactionUid': input.binding.interactionUid, claimedAt: { $exists: false } });
  await deps.models.SmartLaunch.create({
    _id: hashLaunch(state), appClientId: input.appClientId, ehrClientId: input.pickerId, picker: input.binding,
    context: { need_patient_banner: true },
    createdAt: new Date(now), usableUntil: new Date(now + PICKER_STATE_LIFETIME_MS), expiresAt: new Date(now + RECORD_TTL_MS),
  });
  return state;
}

/** Claims the state for this selection; on success the record carries the chosen patient. */
export async function acceptSelection(deps: LaunchDeps, selection: Selection, binding: PickerBinding): Promise<{ id: string } | StateRefusal> {
  return claim(deps, selection.state, binding, {
    need_patient_banner: true, patient: selection.patient, ...(selection.encounter ? { encounter: selection.encounter } : {}),
  });
}

export async function cancelPicker(deps: LaunchDeps, state: string, binding: PickerBinding): Promise<{ id: string } | StateRefusal> {
  return claim(deps, state, binding, undefined);
}

async function claim(deps: LaunchDeps, state: string, binding: PickerBinding, context: Record<string, unknown> | undefined): Promise<{ id: string } | StateRefusal> {
  const id = hashLaunch(state);
  const found = await deps.models.SmartLaunch.findById(id, { picker: 1, usableUntil: 1, claimedAt: 1 }).lean();
  if (!found?.picker) return 'unknown';
  const { interactionUid, sessionUid, accountId } = found.picker;
  if (interactionUid !== binding.interactionUid || sessionUid !== binding.sessionUid || accountId !== binding.accountId) return 'other_interaction';
  if (found.claimedAt) return 'used';
  const now = new Date(deps.now());
  if (found.usableUntil <= now) return 'expired';
  const claimed = await deps.models.SmartLaunch.updateOne(
    { _id: id, claimedAt: { $exists: false } },
    { $set: { claimedAt: now, ...(context ? { context } : {}) } },
  );
  return claimed.modifiedCount === 1 ? { id } : 'used';
}

/** Records the code the chosen patient's authorization produced, when it is for the user who chose. */
export async function bindPickerToCode(deps: LaunchDeps, id: string, codeId: string, accountId: string): Promise<void> {
  await deps.models.SmartLaunch.updateOne(
    { _id: id, 'picker.accountId': accountId, 'context.patient': { $exists: true }, claimedAt: { $exists: true }, codeId: { $exists: false } },
    { $set: { codeId } },
  );
}
