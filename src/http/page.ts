// The one way an HTML page is sent: the security headers and no-store (PAGE_HEADERS), the status,
// and the template rendered with a fresh CSRF token when the route has the CSRF middleware. The
// console pages (account/, admin/) add their header locals and call this.
import type { Context } from 'koa';
import { PAGE_HEADERS, type Render } from './render.js';

export function renderPage(ctx: Context, render: Render, view: string, locals: Record<string, unknown> = {}, status?: number): void {
  ctx.set(PAGE_HEADERS);
  if (status !== undefined) ctx.status = status;
  ctx.type = 'html';
  const csrfToken = ctx.state.csrfToken?.();
  ctx.body = render(view, { ...(csrfToken ? { csrfToken } : {}), ...languageHomeOf(ctx), ...locals });
}

// The language switcher's links come back to the same sign-in, whatever step rendered the page
// (views/layout.pug); pages outside a sign-in show no switcher.
function languageHomeOf(ctx: Context): { languageHome?: string } {
  const uid = /^\/interaction\/([\w-]+)(?:\/|$)/.exec(ctx.path)?.[1];
  return uid ? { languageHome: `/interaction/${uid}/` } : {};
}
