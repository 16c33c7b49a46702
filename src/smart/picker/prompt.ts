// The `smart_patient` prompt, last in the interaction policy (after consent): a standalone launch
// asking for `launch/patient` (no EHR `launch` value) is sent to the FHIR server's patient picker
// until the interaction result names a chosen patient (src/interactions/patient-picker.ts).
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { LAUNCH_PARAM } from '../launch/provider-hooks.js';
import { PICKER_RESULT } from './service.js';

const { Prompt, Check } = interactionPolicy;

export const PATIENT_PROMPT = 'smart_patient';
export const STANDALONE_PATIENT_SCOPE = 'launch/patient';

/** Does this authorization request need the patient picker? */
export function needsPatientPicker(params: Record<string, unknown>): boolean {
  return String(params.scope ?? '').split(' ').includes(STANDALONE_PATIENT_SCOPE) && params[LAUNCH_PARAM] === undefined;
}

export function patientPrompt(): InstanceType<typeof Prompt> {
  return new Prompt({ name: PATIENT_PROMPT, requestable: false }, new Check('patient_not_chosen', 'the app asked for a patient to be chosen', (ctx: KoaContextWithOIDC) => {
    const { params, result, session } = ctx.oidc;
    if (!session?.accountId || !needsPatientPicker(params ?? {})) return Check.NO_NEED_TO_PROMPT;
    return typeof (result as Record<string, unknown> | undefined)?.[PICKER_RESULT] === 'string' ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
  }));
}
