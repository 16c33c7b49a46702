// IP access management (/admin/ip-access): the practice's trusted addresses and ranges, for the
// whole practice or for one user. Sign-ins from them skip the code when the practice allows it.
//
// GET  /ip-access              the list, "Add my IP" and "Add an IP or range"
// POST /ip-access              add (fields: scope = practice | user id, entry, description, expires)
// POST /ip-access/mine         add the address this admin is seen from (after trusted proxies)
// POST /ip-access/:id/remove   remove one entry of this practice (another practice's id: 404),
//                              after a confirmation page (./confirm/)
//
// Every change is audited (admin.trusted_ip.added / .removed) with the admin as actor.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { signedIn } from '../console/guard.js';
import { AppError, NotFoundError } from '../errors.js';
import { formErrors } from '../http/form-errors.js';
import { confirmFirst } from './confirm/index.js';
import { confirmRemoveTrustedIp } from './confirm/practice.js';
import type { AppServices } from '../http/services.js';
import { parseIpEntry } from '../net/ip.js';
import { formValues, readIpForm, type IpFormValues } from './ip-access/form.js';
import { auditView, ipRows, practiceUsers } from './ip-access/list.js';
import { adminChange, auditAdminAction, renderAdminPage } from './page.js';

const PATH = '/admin/ip-access';

export function registerIpAccessRoutes(router: Router, services: AppServices): void {
  const { trustedIps } = services.mfa;

  async function show(ctx: Context, extra: { error?: string; field?: string; which?: 'values' | 'mineValues'; values?: IpFormValues; mineValues?: IpFormValues; status?: number } = {}) {
    const { practice } = signedIn(ctx);
    // "Add my IP" has no address field: a mistake about the address is said at the top only.
    const field = extra.which === 'mineValues' && extra.field === 'entry' ? undefined : extra.field;
    const users = await practiceUsers(services.models, practice._id);
    const rows = await ipRows({ models: services.models, trustedIps, now: services.now }, practice._id, users, practice.timeZone);
    const added = typeof ctx.query.added === 'string' ? rows.find((row) => row.id === ctx.query.added) : undefined;
    // Only an address, and only one no longer listed: a crafted link cannot put other words here.
    const removed = typeof ctx.query.removed === 'string' ? parseIpEntry(ctx.query.removed) : undefined;
    const removedText = removed?.ok && !rows.some((row) => row.entry === removed.value.text) ? removed.value.text : undefined;
    renderAdminPage(ctx, services, 'admin/ip-access', {
      title: 'IP access management',
      rows,
      users,
      myIp: ctx.state.clientIp as string | undefined,
      zoneName: practice.timeZone ?? 'UTC',
      values: extra.values ?? formValues(undefined),
      mineValues: extra.mineValues ?? formValues(undefined),
      // The mistake next to its field of the form it came from (both forms name their fields alike).
      mistakes: formErrors(extra.error ? [{ ...(field ? { field } : {}), message: extra.error }] : [], field ? { [field]: `${extra.which === 'mineValues' ? 'mine' : 'add'}-${field}` } : {}),
      mistakesIn: extra.which === 'mineValues' ? 'mine' : 'add',
      notice: added ? `${added.entry} is now trusted for ${added.personal ? added.appliesTo : 'the whole practice'}.`
        : removedText ? `${removedText} is no longer trusted.` : undefined,
    }, extra.status);
  }

  async function add(ctx: Context, values: IpFormValues, which: 'values' | 'mineValues') {
    const { user: admin, practice } = signedIn(ctx);
    const form = readIpForm(values, services.now(), practice.timeZone ?? 'UTC');
    if (!form.ok) return show(ctx, { error: form.error, field: form.field, which, [which]: values, status: 400 });
    const owner = form.input.userId ? await services.models.User.findOne({ _id: form.input.userId, practiceId: practice._id }, { sub: 1, email: 1 }).lean() : null;
    if (form.input.userId && !owner) throw new NotFoundError(`no user ${form.input.userId} in practice ${practice.id}`);
    let entry;
    try {
      entry = await adminChange(ctx, services, { event: 'admin.trusted_ip.added', ...(owner ? { userSub: owner.sub } : {}) }, () => trustedIps.add({ ...form.input, practiceId: practice._id, addedBy: admin.sub }));
    } catch (err) {
      // Refused by the service's own rules (already trusted, a range too wide): the form again.
      if (err instanceof AppError && (err.status === 400 || err.status === 409)) return show(ctx, { error: err.userMessage, field: err.field ?? 'entry', which, [which]: values, status: err.status });
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
    const myIp = ctx.state.clientIp as string | undefined;
    const values = { ...formValues(ctx.state.form), entry: myIp ?? '' };
    if (!myIp) return show(ctx, { error: 'Your address could not be determined; enter it in "Add an IP or range".', mineValues: values, status: 400 });
    await add(ctx, values, 'mineValues');
  });

  router.post('/ip-access/:id/remove', confirmFirst(services, confirmRemoveTrustedIp(services)), async (ctx) => {
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
