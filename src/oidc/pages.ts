// The provider's own pages, rendered with our views: logout confirmation, logout success, errors.
// The user sees the provider's error_description (written for people) and never a stack trace;
// a store outage is a 503 "try again", never a 500.
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC, ErrorOut } from 'oidc-provider';
import { STORE_RETRY_AFTER_SECONDS, storeOutage } from '../errors.js';
import { errorPage } from '../http/error-pages.js';
import { errorTitle, userMessageOf } from '../i18n/errors.js';
import { PAGE_HEADERS, type Render } from '../http/render.js';

/** Ends the session at once when the logout request allows it (src/sessions/sign-out.ts); true when it did. */
export type SignOutAtOnce = (ctx: KoaContextWithOIDC) => Promise<boolean>;

export function providerPages(render: Render, signOutAtOnce?: SignOutAtOnce) {
  const page = (ctx: KoaContextWithOIDC, view: string, locals: Record<string, unknown>) => {
    ctx.set(PAGE_HEADERS);
    ctx.type = 'html';
    ctx.body = render(view, locals);
  };

  return {
    logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
      if (await signOutAtOnce?.(ctx)) return;
      // `form` is the provider's own hidden form (with its anti-CSRF `xsrf` field); it is markup
      // produced by the provider, never user input, so it is inserted unescaped.
      page(ctx, 'logout', { form, clientName: ctx.oidc.client?.clientName ?? null });
    },
    postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
      page(ctx, 'logout-success', { clientName: ctx.oidc.client?.clientName ?? null });
    },
    renderError: async (ctx: KoaContextWithOIDC, out: ErrorOut, error: Error) => {
      const outage = storeOutage(error);
      if (outage) {
        ctx.status = outage.status;
        return page(ctx, 'error', errorPage(outage.code, { title: errorTitle(outage.status), message: userMessageOf(outage) }));
      }
      // The provider's description is for developers ("client is invalid"): kept as technical
      // detail, never as the sentence a clinician reads (a server error's is not shown at all).
      page(ctx, 'error', errorPage(out.error, out.error === 'server_error' || !out.error_description ? {} : { description: out.error_description }));
    },
  };
}

/**
 * The provider answers any failure it did not raise itself as a 500 `server_error`. When the store
 * is the cause, the client is told to retry instead: 503 `temporarily_unavailable` + Retry-After
 * (JSON for the API endpoints; renderError above has already written the page for browsers).
 */
export function answerStoreOutages(provider: Provider): void {
  provider.on('server_error', (ctx: KoaContextWithOIDC, err: Error) => {
    const outage = storeOutage(err);
    if (!outage) return;
    ctx.status = outage.status;
    ctx.set('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
    if (typeof ctx.body !== 'string') ctx.body = { error: outage.code, error_description: outage.userMessage };
  });
}
