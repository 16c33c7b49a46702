// The interaction pipeline, in order. oidc-provider decides which prompt is pending (its policy in
// oidc/provider.ts lists the same order); each step answers one prompt:
//
//   login (password)  →  mfa (one-time code, when the risk engine asks for it)  →  consent
//
// GET  /interaction/:uid           shows the pending step
// POST /interaction/:uid/<action>  submits it (CSRF-checked); /abort cancels at any step
import Router from '@koa/router';
import { AppError } from '../errors.js';
import { csrfProtection } from '../http/middleware/csrf.js';
import { formBody } from '../http/middleware/form-body.js';
import { abortInteraction } from './abort.js';
import { consentStep } from './consent.js';
import { loadInteraction, type InteractionDeps, type Step } from './context.js';
import { loginStep } from './login.js';
import { mfaStep } from './mfa.js';

export const STEPS: readonly Step[] = [loginStep, mfaStep, consentStep];

export function createInteractionRouter(deps: InteractionDeps, options: { secureCookies: boolean }): Router {
  const router = new Router({ prefix: '/interaction' });
  router.use(formBody(), csrfProtection({ secure: options.secureCookies }));

  router.get('/:uid', async (ctx) => {
    const details = await loadInteraction(ctx, deps);
    await stepFor(details.prompt.name).show(ctx, details, deps);
  });

  router.post('/:uid/abort', async (ctx) => {
    await abortInteraction(ctx, await loadInteraction(ctx, deps), deps);
  });

  router.post('/:uid/:action', async (ctx) => {
    const details = await loadInteraction(ctx, deps);
    const action = stepFor(details.prompt.name).actions[ctx.params.action ?? ''];
    // A form from an earlier step (e.g. the back button): show the step that is pending now.
    if (!action) {
      ctx.status = 303;
      return ctx.redirect(`/interaction/${details.uid}`);
    }
    await action(ctx, details, deps);
  });

  return router;
}

function stepFor(prompt: string): Step {
  const step = STEPS.find((candidate) => candidate.prompt === prompt);
  if (!step) throw new AppError(`no interaction step for prompt ${prompt}`, { status: 500 });
  return step;
}
