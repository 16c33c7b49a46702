// The interaction pipeline, in order. oidc-provider decides which prompt is pending (its policy in
// oidc/provider.ts lists the same order); each step answers one prompt:
//
//   login (password, the practice chooser when several, then the code when the practice's rules
//   ask for it)  →  select_account (practice chooser for an SSO request)  →  mfa (step-up of an
//   existing sign-in, by the entered practice's rules)  →  consent  →  smart_patient (a SMART
//   standalone launch's patient picker)
//
// A new sign-in's code answers the `login` prompt itself: the browser is signed in nowhere until
// every factor the rules asked for is given (pending-sign-in.ts).
//
// GET  /interaction/:uid           shows the pending step
// POST /interaction/:uid/<action>  submits it (CSRF-checked); /abort cancels at any step
import Router from '@koa/router';
import { appError } from '../errors.js';
import { csrfProtection } from '../http/middleware/csrf.js';
import { formBody } from '../http/middleware/form-body.js';
import { abortInteraction } from './abort.js';
import { consentStep } from './consent.js';
import { loadInteraction, type InteractionDeps, type InteractionDetails, type Step } from './context.js';
import { loginStep } from './login.js';
import { mfaStep } from './mfa.js';
import { patientPickerStep, pickerReturn, PICKER_RETURN_PATH } from './patient-picker.js';
import { pendingSignIn } from './pending-sign-in.js';
import { sharedReadsScope } from '../oidc/request-reads.js';
import { practiceStep } from './practice.js';

export const STEPS: readonly Step[] = [loginStep, practiceStep, mfaStep, consentStep, patientPickerStep];

export function createInteractionRouter(deps: InteractionDeps): Router {
  const router = new Router({ prefix: '/interaction' });
  router.use(formBody(), csrfProtection({ secure: deps.secureCookies }), sharedReadsScope);

  router.get('/:uid', async (ctx) => {
    const details = await loadInteraction(ctx, deps);
    await stepFor(details).show(ctx, details, deps);
  });

  // A SMART patient picker sends the browser back here with its signed selection (patient-picker.ts).
  router.get(`/:uid/${PICKER_RETURN_PATH}`, async (ctx) => {
    await pickerReturn(ctx, await loadInteraction(ctx, deps), deps);
  });

  router.post('/:uid/abort', async (ctx) => {
    await abortInteraction(ctx, await loadInteraction(ctx, deps), deps);
  });

  router.post('/:uid/:action', async (ctx) => {
    const details = await loadInteraction(ctx, deps);
    const action = stepFor(details).actions[ctx.params.action ?? ''];
    // A form from an earlier step (e.g. the back button): show the step that is pending now.
    if (!action) {
      ctx.status = 303;
      return ctx.redirect(`/interaction/${details.uid}`);
    }
    await action(ctx, details, deps);
  });

  return router;
}

function stepFor(details: InteractionDetails): Step {
  const pending = pendingSignIn(details);
  // A held sign-in chooses its practice first, then gives the code that practice asks for.
  if (pending) return pending.practiceId ? mfaStep : practiceStep;
  const prompt = details.prompt.name;
  const step = STEPS.find((candidate) => candidate.prompt === prompt);
  if (!step) throw appError('server_error', { detail: `no interaction step for prompt ${prompt}` });
  return step;
}
