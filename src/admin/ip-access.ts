// IP access management (/admin/ip-access): the practice's trusted addresses and ranges, for the
// whole practice or for one user. Sign-ins from them skip the code when the practice allows it.
//
// GET  /ip-access              the list, "Add my IP" and "Add an IP or range"
// POST /ip-access              add (fields: scope = practice | user id, entry, description, expires)
// POST /ip-access/mine         add the address this admin is seen from (after trusted proxies)
// POST /ip-access/:id/remove   remove one entry of this practice (another practice's id: 404),
//                              after a confirmation page (./confirm/)
//
// Adding and removing are src/commands/trusted-ips.ts (as for the CLI's `trusted-ips`), audited
// (admin.trusted_ip.added / .removed) with the admin as actor.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { signedIn } from '../console/guard.js';
import type { Types } from 'mongoose';
import { addTrustedIp, removeTrustedIp } from '../commands/index.js';
import { AppError } from '../errors.js';
import { formErrors } from '../http/form-errors.js';
import type { Render } from '../http/render.js';
import { confirmFirst } from './confirm/index.js';
import { confirmRemoveTrustedIp } from './confirm/practice.js';
import { parseIpEntry } from '../net/ip.js';
import { formValues, readIpForm, type IpFormValues } from './ip-access/form.js';
import { adminActor, adminCommandDeps, type AdminCommandSources } from './commands.js';
import { ipRows, practiceUsers } from './ip-access/list.js';
import { renderAdminPage } from './page.js';
import { requestOrigin } from '../net/request-origin.js';
import { t } from '../i18n/request.js';
import { userMessageOf } from '../i18n/errors.js';

const PATH = '/admin/ip-access';

/** What this module needs from the composition root (src/app/). */
export type AdminIpAccessDeps = AdminCommandSources & { render: Render };

export function registerIpAccessRoutes(router: Router, services: AdminIpAccessDeps): void {
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
      title: t('admin:ip.title'),
      rows,
      users,
      myIp: requestOrigin(ctx).ip,
      zoneName: practice.timeZone ?? 'UTC',
      values: extra.values ?? formValues(undefined),
      mineValues: extra.mineValues ?? formValues(undefined),
      // The mistake next to its field of the form it came from (both forms name their fields alike).
      mistakes: formErrors(extra.error ? [{ ...(field ? { field } : {}), message: extra.error }] : [], field ? { [field]: `${extra.which === 'mineValues' ? 'mine' : 'add'}-${field}` } : {}),
      mistakesIn: extra.which === 'mineValues' ? 'mine' : 'add',
      notice: added ? (added.personal ? t('admin:notices.ip_added_user', { entry: added.entry, who: added.appliesTo }) : t('admin:notices.ip_added_practice', { entry: added.entry }))
        : removedText ? t('admin:notices.ip_removed', { entry: removedText }) : undefined,
    }, extra.status);
  }

  async function add(ctx: Context, values: IpFormValues, which: 'values' | 'mineValues') {
    const form = readIpForm(values, services.now(), signedIn(ctx).practice.timeZone ?? 'UTC');
    if (!form.ok) return show(ctx, { error: form.error, field: form.field, which, [which]: values, status: 400 });
    let added;
    try {
      added = await addTrustedIp(adminCommandDeps(services), adminActor(ctx), signedIn(ctx).practice._id as Types.ObjectId, form.input);
    } catch (err) {
      // Refused by the service's own rules (already trusted, a range too wide): the form again.
      if (err instanceof AppError && (err.status === 400 || err.status === 409)) return show(ctx, { error: userMessageOf(err), field: err.field ?? 'entry', which, [which]: values, status: err.status });
      throw err;
    }
    ctx.status = 303;
    ctx.redirect(`${PATH}?added=${String(added.entry._id)}`);
  }

  router.get('/ip-access', (ctx) => show(ctx));

  router.post('/ip-access', (ctx) => add(ctx, formValues(ctx.state.form), 'values'));

  router.post('/ip-access/mine', async (ctx) => {
    const myIp = requestOrigin(ctx).ip;
    const values = { ...formValues(ctx.state.form), entry: myIp ?? '' };
    if (!myIp) return show(ctx, { error: t('admin:ip.no_address_mine'), mineValues: values, status: 400 });
    await add(ctx, values, 'mineValues');
  });

  router.post('/ip-access/:id/remove', confirmFirst(services, confirmRemoveTrustedIp(services)), async (ctx) => {
    // Looked up within the admin's practice: another practice's entry is "not found", and stays.
    const removed = await removeTrustedIp(adminCommandDeps(services), adminActor(ctx), signedIn(ctx).practice._id as Types.ObjectId, ctx.params.id ?? '');
    ctx.status = 303;
    ctx.redirect(`${PATH}?removed=${encodeURIComponent(removed.entry)}`);
  });
}
