// The practice's audit log (/admin/audit): filter, page, export as CSV, verify the chain.
//
// GET  /audit          entries of the admin's practice, newest first (query: email, event,
//                      outcome, ip, from, to as YYYY-MM-DD on the practice's clocks, both days
//                      included; page)
// POST /audit/export   the same filter as CSV (a form, so CSRF-checked); audited `audit.exported`
//                      before any row leaves
// GET  /audit/verify   the chain check page; POST runs it over the practice's own view, bounded
//                      and rate-limited (src/audit/practice-view.ts); an intact result is audited
//                      `audit.verified`, a broken one is shown and nothing is written
import { Readable } from 'node:stream';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { exportAuditCsv } from '../audit/export.js';
import { queryAudit } from '../audit/query.js';
import { verifyPracticeView } from '../audit/practice-view.js';
import { signedIn } from '../console/guard.js';
import { formErrors } from '../http/form-errors.js';
import type { AuditLog } from '../audit/record.js';
import type { RateLimits } from '../security/rate-limits.js';
import type { Models } from '../store/models/index.js';
import { chainView, type ChainView } from './audit/chain-check.js';
import { eventOptions, filterQuery, outcomeOptions, readFilter } from './audit/filter.js';
import { requestInfo } from './audit/request.js';
import { auditRows } from './audit/rows.js';
import { localZone } from './audit/time.js';
import { renderAdminPage } from './page.js';

import type { Render } from '../http/render.js';
import { t } from '../i18n/request.js';
/** What this module needs from the composition root (src/app/). */
export interface AdminAuditDeps {
  audit: AuditLog;
  limits: RateLimits;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  render: Render;
}

const PAGE_SIZE = 50;
/** The filter's fields by name → their ids on the page. */
const FILTER_IDS = { email: 'f-email', event: 'f-event', outcome: 'f-outcome', ip: 'f-ip', from: 'f-from', to: 'f-to' };

export function registerAuditRoutes(router: Router, services: AdminAuditDeps): void {
  router.get('/audit', async (ctx) => {
    const { practice } = signedIn(ctx);
    const local = localZone(practice.timeZone);
    const read = await readFilter(services.models, practice._id, ctx.query, local.zone);
    const result = read.ok
      ? await queryAudit(services, { ...read.filter, page: read.page, pageSize: PAGE_SIZE })
      : { entries: [], total: 0, page: 1, pageSize: PAGE_SIZE };
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    renderAdminPage(ctx, services, 'admin/audit', {
      title: t('admin:audit.title'),
      values: read.values,
      errors: read.ok ? [] : read.errors,
      mistakes: formErrors(read.ok ? [] : read.errors, FILTER_IDS),
      noUser: !read.ok && read.noUser === true,
      events: eventOptions(),
      outcomes: outcomeOptions(),
      local,
      rows: await auditRows(services.models, practice._id, result.entries, local.zone),
      total: result.total,
      page: result.page,
      pages,
      prevHref: result.page > 1 ? `/admin/audit${filterQuery(read.values, result.page - 1)}` : undefined,
      nextHref: result.page < pages ? `/admin/audit${filterQuery(read.values, result.page + 1)}` : undefined,
    }, read.ok || read.noUser ? 200 : 400);
  });

  router.post('/audit/export', async (ctx) => {
    const { user, practice } = signedIn(ctx);
    const read = await readFilter(services.models, practice._id, ctx.state.form ?? {}, localZone(practice.timeZone).zone);
    // A filter that cannot run (or names no user here) goes back to the page, which says why.
    if (!read.ok) {
      ctx.status = 303;
      return ctx.redirect(`/admin/audit${filterQuery(read.values)}`);
    }
    const { practiceId: _scope, ...where } = requestInfo(ctx);
    const rows = await exportAuditCsv({ models: services.models, auditLog: services.audit }, read.filter, { userSub: user.sub, ...where });
    ctx.set({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    ctx.attachment(`audit-${new Date(services.now()).toISOString().slice(0, 10)}.csv`);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = Readable.from(rows);
  });

  router.get('/audit/verify', (ctx) => showVerify(ctx, services));

  router.post('/audit/verify', async (ctx) => {
    const about = { ...requestInfo(ctx), userSub: signedIn(ctx).user.sub };
    await services.limits.consume('audit_verify', about.practiceId, about);
    const report = await verifyPracticeView({ models: services.models, keys: services.audit.keys }, about.practiceId);
    // Never written onto a broken chain: the break is reported, not extended.
    if (report.ok) await services.audit.record({ event: 'audit.verified', outcome: 'success', ...about, details: { checked: report.checked, complete: report.complete } });
    showVerify(ctx, services, chainView(report, localZone(signedIn(ctx).practice.timeZone).zone));
  });
}

function showVerify(ctx: Context, services: AdminAuditDeps, result?: ChainView): void {
  renderAdminPage(ctx, services, 'admin/audit-verify', { title: t('admin:verify.title'), result });
}

