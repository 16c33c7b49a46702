// Cancel: the user leaves the sign-in; the app receives access_denied. Valid at any step. A sign-in
// held for its code (pending-sign-in.ts) ends with the interaction: the browser session never had
// it, so nothing is left to resume and the next "Sign in" shows the empty sign-in page.
import type { Context } from 'koa';
import { finish, type InteractionDeps, type InteractionDetails } from './context.js';

export async function abortInteraction(ctx: Context, details: InteractionDetails, _deps: InteractionDeps): Promise<void> {
  await finish(ctx, details, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' });
}
