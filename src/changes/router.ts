// The two links of an admin's pending change of a user's account (src/accounts/account-change/),
// opened without signing in: whoever holds the link is the one the link was sent to.
//
//   GET  /changes/confirm/:token   "Confirm this address" (the link emailed to the NEW address)
//   POST /changes/confirm/:token   proves the address; applies the change unless it still waits
//                                  for a second admin
//   GET  /changes/report/:token    "I did not ask for this" (the link in the notice to the
//   POST /changes/report/:token    CURRENT address): cancels the change, audited as a report
//
// A GET never changes anything (mail scanners open links); every POST carries a CSRF token.
import { t } from '../i18n/request.js';
import Router from '@koa/router';
import type { Context } from 'koa';
import { changeForLink, proveByLink, reportAccountChange } from '../accounts/account-change/decide.js';
import { hinted } from '../accounts/account-change/record.js';
import { csrfProtection } from '../http/middleware/csrf.js';
import { formBody } from '../http/middleware/form-body.js';
import type { Models } from '../store/models/index.js';
import { requestInfo } from '../password-reset/page.js';
import type { AccountChange } from '../store/models/account-change.js';

const what = (kind: AccountChange['kind']) => t(`changes:what.${kind}`);
import type { Render } from '../http/render.js';
import type { AuditLog } from '../audit/record.js';
import type { AccountService } from '../accounts/service.js';
import type Provider from 'oidc-provider';
import type { Mfa } from '../mfa/index.js';
import type { Logger } from '../observability/logger.js';
import { renderPage } from '../http/page.js';
/** What this module needs from the composition root (src/app/). */
export interface ChangesRouterDeps {
  models: Models;
  /** Cookies we set carry Secure: the issuer is https. */
  secureCookies: boolean;
  accounts: AccountService;
  audit: AuditLog;
  /** The public issuer URL. */
  issuer: string;
  mfa: Mfa;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  render: Render;
  logger: Logger;
}


export function createChangeLinksRouter(services: ChangesRouterDeps): Router {
  const router = new Router({ prefix: '/changes' });
  router.use(formBody(), csrfProtection({ secure: services.secureCookies }));

  const message = (ctx: Context, heading: string, text: string, status = 200) =>
    renderPage(ctx, services.render, 'changes/message', { title: heading, heading, message: text }, status);
  const invalid = (ctx: Context) => message(ctx, t('changes:invalid_heading'), t('changes:invalid_message'), 400);

  router.get('/confirm/:token', async (ctx) => {
    const change = await changeForLink(services, ctx.params.token ?? '', 'confirm');
    if (!change) return invalid(ctx);
    const practice = await services.models.Practice.findById(change.practiceId, { name: 1 }).lean();
    renderPage(ctx, services.render, 'changes/confirm', {
      title: t('changes:confirm.title'),
      action: ctx.path,
      address: change.after,
      practiceName: practice?.name ?? '',
    });
  });

  router.post('/confirm/:token', async (ctx) => {
    const result = await proveByLink(services, ctx.params.token ?? '', requestInfo(ctx));
    if (result.status === 'gone') return invalid(ctx);
    if (result.status === 'waiting') {
      return message(ctx, t('changes:confirm.waiting_heading'), t('changes:confirm.waiting_message'));
    }
    message(ctx, t('changes:confirm.done_heading'), t('changes:confirm.done_message', { address: result.change.after }));
  });

  router.get('/report/:token', async (ctx) => {
    const change = await changeForLink(services, ctx.params.token ?? '', 'report');
    if (!change) return invalid(ctx);
    renderPage(ctx, services.render, 'changes/report', {
      title: t('changes:report.title'),
      action: ctx.path,
      what: what(change.kind),
      after: hinted(change.kind, change.after),
    });
  });

  router.post('/report/:token', async (ctx) => {
    const reported = await reportAccountChange(services, ctx.params.token ?? '', requestInfo(ctx));
    if (!reported) return invalid(ctx);
    message(ctx, t('changes:report.done_heading'), t('changes:report.done_message', { what: what(reported.kind) }));
  });

  return router;
}
