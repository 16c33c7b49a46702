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
import Router from '@koa/router';
import type { Context } from 'koa';
import { changeForLink, proveByLink, reportAccountChange } from '../accounts/account-change/decide.js';
import { hinted } from '../accounts/account-change/record.js';
import { csrfProtection } from '../http/middleware/csrf.js';
import { formBody } from '../http/middleware/form-body.js';
import type { Models } from '../store/models/index.js';
import { requestInfo } from '../password-reset/page.js';
import type { AccountChange } from '../store/models/account-change.js';

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

const WHAT: Record<AccountChange['kind'], string> = { email: 'sign-in email address', phone: 'mobile number', role: 'role' };

export function createChangeLinksRouter(services: ChangesRouterDeps): Router {
  const router = new Router({ prefix: '/changes' });
  router.use(formBody(), csrfProtection({ secure: services.secureCookies }));

  const message = (ctx: Context, heading: string, text: string, status = 200) =>
    renderPage(ctx, services.render, 'changes/message', { title: heading, heading, message: text }, status);
  const invalid = (ctx: Context) => message(ctx, 'This link is no longer valid', 'It was already used, has expired, or the change was cancelled. Nothing was changed. Ask your practice administrator if you need help.', 400);

  router.get('/confirm/:token', async (ctx) => {
    const change = await changeForLink(services, ctx.params.token ?? '', 'confirm');
    if (!change) return invalid(ctx);
    const practice = await services.models.Practice.findById(change.practiceId, { name: 1 }).lean();
    renderPage(ctx, services.render, 'changes/confirm', {
      title: 'Confirm your new sign-in email address',
      action: ctx.path,
      address: change.after,
      practiceName: practice?.name ?? '',
    });
  });

  router.post('/confirm/:token', async (ctx) => {
    const result = await proveByLink(services, ctx.params.token ?? '', requestInfo(ctx));
    if (result.status === 'gone') return invalid(ctx);
    if (result.status === 'waiting') {
      return message(ctx, 'Address confirmed', 'Thank you. The change now waits for the approval of another administrator of your practice; until then you sign in as before.');
    }
    message(ctx, 'Your sign-in email address was changed', `From now on you sign in with ${result.change.after}. You were signed out everywhere: sign in again on each device and app.`);
  });

  router.get('/report/:token', async (ctx) => {
    const change = await changeForLink(services, ctx.params.token ?? '', 'report');
    if (!change) return invalid(ctx);
    renderPage(ctx, services.render, 'changes/report', {
      title: 'Report a change you did not ask for',
      action: ctx.path,
      what: WHAT[change.kind],
      after: hinted(change.kind, change.after),
    });
  });

  router.post('/report/:token', async (ctx) => {
    const reported = await reportAccountChange(services, ctx.params.token ?? '', requestInfo(ctx));
    if (!reported) return invalid(ctx);
    message(ctx, 'The change was cancelled', `Thank you. The change of your ${WHAT[reported.kind]} was cancelled, and your report is recorded in your practice's audit log. Your current settings keep working. If you think someone is misusing an administrator account, tell your practice manager or the people who run this sign-in service.`);
  });

  return router;
}
