// Destructive admin actions ask first, on a page that works without script: the action's POST,
// without `confirmed=yes`, answers a page saying what will happen and to whom, with one form that
// posts the same fields again plus the confirmation, and a way back. Only that second POST reaches
// the handler. A describer returning undefined means "nothing destructive here": straight through.
//
// Placed in the route before the handler (src/admin/users/routes.ts, ip-access.ts, security.ts),
// after the router's CSRF check: the confirmation form carries a token like any other.
import type { Context, Middleware } from 'koa';
import { renderAdminPage, type AdminPageDeps } from '../page.js';

export interface Confirmation {
  /** The question, as the page's heading: "Deactivate Nora Nurse?" */
  title: string;
  /** What will happen, to whom: one sentence each. */
  consequences: string[];
  /** The destructive button's words: "Deactivate Nora Nurse". */
  confirmLabel: string;
  /** Where "Cancel" leads (the page the action came from). */
  cancelHref: string;
  /** The posted form's fields to send again with the confirmation (e.g. the security settings). */
  fields?: Record<string, string>;
}

export type Describer = (ctx: Context) => Promise<Confirmation | undefined>;

export const CONFIRM_FIELD = 'confirmed';

export function confirmFirst(services: AdminPageDeps, describe: Describer): Middleware {
  return async (ctx, next) => {
    const form = ctx.state.form as Record<string, string> | undefined;
    if (form?.[CONFIRM_FIELD] === 'yes') return next();
    const confirmation = await describe(ctx);
    if (!confirmation) return next();
    renderAdminPage(ctx, services, 'admin/confirm', {
      title: confirmation.title,
      confirmation,
      action: ctx.path,
      fields: Object.entries(confirmation.fields ?? {}).filter(([name]) => name !== '_csrf' && name !== CONFIRM_FIELD),
    });
  };
}
