// Cancel: the user leaves the sign-in; the app receives access_denied. Valid at any step.
import type { Context } from 'koa';
import { finish, type InteractionDeps, type InteractionDetails } from './context.js';

export async function abortInteraction(ctx: Context, details: InteractionDetails, _deps: InteractionDeps): Promise<void> {
  await finish(ctx, details, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' });
}
