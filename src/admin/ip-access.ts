// IP access management (/admin/ip-access): the practice's trusted addresses and ranges, for the
// whole practice or for one user. Sign-ins from them skip the code when the practice allows it.
//
// GET  /ip-access              the list, "Add my IP" and "Add an IP or range"
// POST /ip-access              add (fields: scope = practice | user id, entry, description, expires)
// POST /ip-access/mine         add the address this admin is seen from (after trusted proxies)
// POST /ip-access/:id/remove   remove one entry of this practice (another practice's id: 404)
//
// Every change is audited (admin.trusted_ip.added / .removed) with the admin as actor.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { signedIn } from '../console/guard.js';
import { AppError, NotFoundError } from '../errors.js';
import type { Mfa } from '../mfa/index.js';
import type { Models } from '../store/models/index.js';
import { parseIpEntry } from '../net/ip.js';
import { formValues, readIpForm, type IpFormValues } from './ip-access/form.js';
import { auditView, ipRows, practiceUsers } from './ip-access/list.js';
import { adminChange, auditAdminAction, renderAdminPage } from './page.js';

import type { Render } from '../http/render.js';
import type { AuditLog } from '../audit/record.js';
import { requestOrigin } from '../net/request-origin.js';
/** What this module needs from the composition root (src/app/). */
export interface AdminIpAccessDeps {
  mfa: Mfa;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  audit: AuditLog;
  render: Render;
}

const PATH = '/admin/ip-access';

export function registerIpAccessRoutes(router: Router, services: AdminIpAccessDeps): void {
  const { trustedIps } = services.mfa;

  async function show(ctx: Context, extra: { error?: string; values?: IpFormValues; mineValues?: IpFormValues; status?: number } = {}) {
    const { practice } = signedIn(ctx);
    const users = await practiceUsers(services.models, practice._id);
    const rows = await ipRows({ models: services.models, trustedIps, now: services.now }, practice._id, users);
    const added = typeof ctx.query.added === 'string' ? rows.find((row) => row.id === ctx.query.added) : undefined;
    // Only an address, and only one no longer listed: a crafted link cannot put other words here.
    const removed = typeof ctx.query.removed === 'string' ? parseIpEntry(ctx.query.removed) : undefined;
    const removedText = removed?.ok && !rows.some((row) => row.entry === removed.value.text) ? removed.value.text : undefined;
    renderAdminPage(ctx, services, 'admin/ip-access', {
      title: 'IP access management',
      rows,
      users,
      myIp: requestOrigin(ctx).ip,
      values: extra.values ?? formValues(undefined),
      mineValues: extra.mineValues ?? formValues(undefined),
      error: extra.error,
      notice: added ? `${added.entry} is now trusted for ${added.personal ? added.appliesTo : 'the whole practice'}.`
        : removedText ? `${removedText} is no longer trusted.` : undefined,
    }, extra.status);
  }

  async function add(ctx: Context, values: IpFormValues, which: 'values' | 'mineValues') {
    const { user: admin, practice } = signedIn(ctx);
    const form = readIpForm(values, services.now());
    if (!form.ok) return show(ctx, { error: form.error, [which]: values, status: 400 });
    const owner = form.input.userId ? await services.models.User.findOne({ _id: form.input.userId, practiceId: practice._id }, { sub: 1, email: 1 }).lean() : null;
    if (form.input.userId && !owner) throw new NotFoundError(`no user ${form.input.userId} in practice ${practice.id}`);
    let entry;
    try {
      entry = await adminChange(ctx, services, { event: 'admin.trusted_ip.added', ...(owner ? { userSub: owner.sub } : {}) }, () => trustedIps.add({ ...form.input, practiceId: practice._id, addedBy: admin.sub }));
    } catch (err) {
      // Refused by the service's own rules (already trusted, a range too wide): the form again.
      if (err instanceof AppError && (err.status === 400 || err.status === 409)) return show(ctx, { error: err.userMessage, [which]: values, status: err.status });
      throw err;
    }
    await auditAdminAction(ctx, services, {
      event: 'admin.trusted_ip.added',
      ...(owner ? { userSub: owner.sub } : {}),
      details: { after: auditView(entry, owner ? owner.email : 'practice') },
    });
    ctx.status = 303;
    ctx.redirect(`${PATH}?added=${String(entry._id)}`);
  }

  router.get('/ip-access', (ctx) => show(ctx));

  router.post('/ip-access', (ctx) => add(ctx, formValues(ctx.state.form), 'values'));

  router.post('/ip-access/mine', async (ctx) => {
    const myIp = requestOrigin(ctx).ip;
    const values = { ...formValues(ctx.state.form), entry: myIp ?? '' };
    if (!myIp) return show(ctx, { error: 'Your address could not be determined; enter it in "Add an IP or range".', mineValues: values, status: 400 });
    await add(ctx, values, 'mineValues');
  });

  router.post('/ip-access/:id/remove', async (ctx) => {
    const { practice } = signedIn(ctx);
    const id = ctx.params.id ?? '';
    // Looked up within the admin's practice: another practice's entry is "not found", and stays.
    const existing = await trustedIps.find(practice._id, id);
    if (!existing) throw new NotFoundError(`no trusted IP ${id} in practice ${practice.id}`);
    const owner = existing.userId ? await services.models.User.findOne({ _id: existing.userId, practiceId: practice._id }, { sub: 1, email: 1 }).lean() : null;
    const removed = await adminChange(ctx, services, { event: 'admin.trusted_ip.removed', ...(owner ? { userSub: owner.sub } : {}) }, () => trustedIps.remove(practice._id, id));
    if (!removed) throw new NotFoundError(`trusted IP ${id} already removed`);
    await auditAdminAction(ctx, services, {
      event: 'admin.trusted_ip.removed',
      ...(owner ? { userSub: owner.sub } : {}),
      details: { before: auditView(removed, removed.userId ? owner?.email ?? 'a removed user' : 'practice') },
    });
    ctx.status = 303;
    ctx.redirect(`${PATH}?removed=${encodeURIComponent(removed.entry)}`);
  });
}
