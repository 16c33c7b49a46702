// The patient picker step of a SMART standalone launch (`launch/patient`, no EHR `launch` value),
// answering the `smart_patient` prompt (src/smart/picker/prompt.ts):
//
//   GET /interaction/:uid           → 303 to the FHIR server's picker with a fresh single-use state
//                                     and return_uri = <issuer>/interaction/:uid/patient
//   GET /interaction/:uid/patient   ← the picker's answer: selection=<signed JWS>, or error=access_denied&state=…
//
// The answer must come back to the interaction that sent it (the path carries its uid and the
// interaction cookie is scoped to that path), in the same browser session and for the same user.
// Anything else is a refusal page; a cancel goes back to the app as access_denied.
import type { Context } from 'koa';
import { appError } from '../errors.js';
import { pickerFor, type PatientPicker } from '../smart/picker/registration.js';
import { verifySelection, type SelectionRefusal } from '../smart/picker/selection.js';
import { PATIENT_PROMPT } from '../smart/picker/prompt.js';
import { acceptSelection, cancelPicker, issuePickerState, PICKER_RESULT, type PickerBinding, type StateRefusal } from '../smart/picker/service.js';
import { finish, type InteractionDeps, type InteractionDetails, type Step } from './context.js';

export const PICKER_RETURN_PATH = 'patient';

type RefusalPage = 'patient_selection_forged' | 'patient_selection_expired' | 'patient_selection_used' | 'patient_selection_elsewhere';
const REFUSAL_PAGES: Record<SelectionRefusal | StateRefusal, RefusalPage> = {
  forged: 'patient_selection_forged',
  malformed: 'patient_selection_forged',
  expired: 'patient_selection_expired',
  used: 'patient_selection_used',
  unknown: 'patient_selection_elsewhere',
  other_interaction: 'patient_selection_elsewhere',
};

async function showPicker(ctx: Context, details: InteractionDetails, deps: InteractionDeps): Promise<void> {
  const picker = await pickerOf(details, deps);
  if (!picker) {
    return finish(ctx, details, { error: 'invalid_scope', error_description: 'launch/patient needs a patient picker, and the FHIR server named in aud has none registered' });
  }
  const issuer = deps.provider().issuer.replace(/\/$/, '');
  const state = await issuePickerState(launches(deps), { appClientId: String(details.params.client_id), pickerId: picker.id, binding: bindingOf(details) });
  const target = new URL(picker.url);
  target.search = new URLSearchParams({
    state,
    return_uri: `${issuer}/interaction/${details.uid}/${PICKER_RETURN_PATH}`,
    client_id: String(details.params.client_id),
    aud: String(details.params.aud ?? details.params.resource),
    iss: issuer,
  }).toString();
  ctx.status = 303;
  ctx.redirect(target.href);
}

/** The picker's answer (a GET: the browser comes back by a top-level redirect from the picker). */
export async function pickerReturn(ctx: Context, details: InteractionDetails, deps: InteractionDeps): Promise<void> {
  if (details.prompt.name !== PATIENT_PROMPT) {
    ctx.status = 303;
    return ctx.redirect(`/interaction/${details.uid}`);
  }
  const query = ctx.query as Record<string, unknown>;
  if (query.error !== undefined) {
    const claimed = await cancelPicker(launches(deps), String(query.state ?? ''), bindingOf(details));
    if (typeof claimed === 'string') throw refusal(details, deps, claimed);
    return finish(ctx, details, { error: 'access_denied', error_description: 'No patient was chosen.' });
  }
  const picker = await pickerOf(details, deps);
  if (typeof query.selection !== 'string' || !picker) throw refusal(details, deps, 'forged');
  const selection = await verifySelection(query.selection, picker, { issuer: deps.provider().issuer, now: deps.now() });
  if (typeof selection === 'string') throw refusal(details, deps, selection);
  const accepted = await acceptSelection(launches(deps), selection, bindingOf(details));
  if (typeof accepted === 'string') throw refusal(details, deps, accepted);
  await finish(ctx, details, { [PICKER_RESULT]: accepted.id });
}

async function pickerOf(details: InteractionDetails, deps: InteractionDeps): Promise<PatientPicker | undefined> {
  const baseUrl = details.params.resource ?? details.params.aud;
  return typeof baseUrl === 'string' ? pickerFor(deps, baseUrl) : undefined;
}

function bindingOf(details: InteractionDetails): PickerBinding {
  return { interactionUid: details.uid, sessionUid: String(details.session?.uid ?? ''), accountId: String(details.session?.accountId ?? '') };
}

function launches(deps: InteractionDeps) {
  return { models: deps.models, now: deps.now };
}

function refusal(details: InteractionDetails, deps: InteractionDeps, reason: SelectionRefusal | StateRefusal) {
  // Neither the selection (it names a patient) nor the interaction id (the cookie's value) is logged.
  deps.logger.warn(`[smart] patient selection refused (${reason}) for client ${String(details.params.client_id)}`);
  return appError(REFUSAL_PAGES[reason]);
}

export const patientPickerStep: Step = {
  prompt: PATIENT_PROMPT,
  show: showPicker,
  actions: {},
};
