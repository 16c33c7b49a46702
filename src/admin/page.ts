// What every admin page shares: who is acting (the signed-in admin and their practice, the only
// practice any admin query may touch), the audit "where", and rendering with the CSRF token and
// our page headers. Ids from URLs and forms are looked up together with the practice id, so a
// foreign or malformed id is simply "not found".
import type { Context } from 'koa';
import { Types } from 'mongoose';
import { auditedChange } from '../audit/change.js';
import type { AuditEvent } from '../audit/events.js';
import { signedIn } from '../console/guard.js';
import { AppError, NotFoundError } from '../errors.js';
import { NO_FORM_ERRORS } from '../http/form-errors.js';
import { logoUrl } from '../store/models/practice-logo.js';
import type { AuditLog } from '../audit/record.js';
import type { Render } from '../http/render.js';
import { renderPage } from '../http/page.js';
import { requestOrigin, type RequestOrigin } from '../net/request-origin.js';
import { t } from '../i18n/request.js';

/** What this module needs from the composition root (src/app/). */
export interface AdminPageDeps {
  audit: AuditLog;
  render: Render;
}

export interface AdminActor {
  sub: string;
  name: string;
  /** The user document's _id (to recognise "yourself" in lists). */
  userId: string;
  practiceId: Types.ObjectId;
  practiceName: string;
  /** The practice's time zone for every time its people read (null: UTC). */
  timeZone: string | null;
}

export function adminOf(ctx: Context): AdminActor {
  const { user, practice } = signedIn(ctx);
  return { sub: user.sub, name: user.name, userId: String(user._id), practiceId: practice._id as Types.ObjectId, practiceName: practice.name, timeZone: practice.timeZone ?? null };
}

/** Where the request came from, for audit entries. */
export function requestWhere(ctx: Context): RequestOrigin {
  return requestOrigin(ctx);
}

/** A route parameter that must be an ObjectId; anything else is a 404 (never a 500). */
export function objectIdParam(value: string | undefined): Types.ObjectId {
  if (!value || !/^[0-9a-f]{24}$/i.test(value)) throw new NotFoundError('malformed id');
  return new Types.ObjectId(value);
}

export function renderAdminPage(ctx: Context, services: AdminPageDeps, view: string, locals: Record<string, unknown>, status = 200): void {
  const admin = adminOf(ctx);
  renderPage(ctx, services.render, view, {
    admin: { name: admin.name, practiceName: admin.practiceName },
    practiceName: admin.practiceName,
    practiceLogo: logoUrl(signedIn(ctx).practice),
    currentPath: ctx.path,
    mistakes: NO_FORM_ERRORS,
    ...locals,
  }, status);
}

/** After a successful POST: back to a page with a short notice (Post/Redirect/Get). */
export function redirectWithNotice(ctx: Context, path: string, notice: string): void {
  const separator = path.includes('?') ? '&' : '?';
  ctx.status = 303;
  ctx.redirect(`${path}${separator}notice=${encodeURIComponent(notice)}`);
}

/**
 * The notice shown after a redirect: only from our fixed list (notice → its text's key), so a link
 * cannot put words on the page; in the reader's language.
 */
export function noticeFrom(ctx: Context, notices: Readonly<Record<string, string>>): string | undefined {
  const key = typeof ctx.query.notice === 'string' ? ctx.query.notice : '';
  return Object.hasOwn(notices, key) ? t(notices[key]!) : undefined;
}

/**
 * The audit entry of an admin's action about one user (or the practice): the admin as actor,
 * `details` with what changed. Rejects when the write fails, so the action never reports success.
 */
export async function auditAdminAction(ctx: Context, services: AdminPageDeps, entry: { event: AuditEvent; userSub?: string; details?: Record<string, unknown> }): Promise<void> {
  const admin = adminOf(ctx);
  await services.audit.record({
    event: entry.event,
    outcome: 'success',
    practiceId: admin.practiceId,
    actor: { sub: admin.sub, role: 'admin' },
    ...(entry.userSub ? { userSub: entry.userSub } : {}),
    ...requestWhere(ctx),
    ...(entry.details ? { details: entry.details } : {}),
  });
}

/**
 * An admin's change, intent-first (src/audit/change.ts): `change.requested` is recorded before
 * `apply` runs, so a failed audit write answers 503 and changes nothing. The caller then records
 * the change's own entry with `auditAdminAction`, as before.
 */
export function adminChange<T>(ctx: Context, services: AdminPageDeps, about: { event: AuditEvent; userSub?: string }, apply: () => Promise<T>): Promise<T> {
  const admin = adminOf(ctx);
  return auditedChange(services.audit, about.event, {
    practiceId: admin.practiceId,
    actor: { sub: admin.sub, role: 'admin' },
    ...(about.userSub ? { userSub: about.userSub } : {}),
    ...requestWhere(ctx),
  }, apply);
}

/** A mistake the admin can fix (bad input, taken email): shown next to the form, not as an error page. */
export function formMistake(err: unknown): AppError | undefined {
  return err instanceof AppError && (err.status === 400 || err.status === 409) ? err : undefined;
}

/** The form's text fields, trimmed to a sane length. */
export function formText(ctx: Context, name: string, max = 300): string {
  const form = ctx.state.form;
  return String(form?.[name] ?? '').slice(0, max);
}
