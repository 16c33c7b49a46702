// What every settings page shares: rendering with the CSRF token and our page headers, the short
// notice after a change (Post/Redirect/Get, from a fixed list so a link cannot put words on the
// page), where the request came from, and the audit entry plus email every change is reported by.
import type { Context } from 'koa';
import type { AuditEvent } from '../audit/events.js';
import { signedIn } from '../console/guard.js';
import type { AuditLog } from '../audit/record.js';
import type { Render } from '../http/render.js';
import { renderPage } from '../http/page.js';
import { requestOrigin, type RequestOrigin } from '../net/request-origin.js';
import { sendSecurityNotice } from '../notifications/security-notice.js';
import { logoUrl } from '../store/models/practice-logo.js';

import type { Logger } from '../observability/logger.js';
import type { Mfa } from '../mfa/index.js';
/** What this module needs from the composition root (src/app/). */
export interface AccountPageDeps {
  audit: AuditLog;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  render: Render;
  logger: Logger;
  mfa: Mfa;
}

/** A second-factor setting needs a sign-in (password and code) this recent. */
export const FRESH_FACTOR_SECONDS = 5 * 60;

export const NOTICES = {
  password: 'Your password was changed. You stay signed in here; everywhere else you were signed out.',
  'two-step': 'Your two-step sign-in settings were saved.',
  unchanged: 'Nothing was changed.',
  phone: 'Your phone number was verified and saved.',
  device: 'The device was forgotten: it will be asked for a code at its next sign-in.',
  authenticator: 'Your authenticator app was saved. At sign-in, choose "Use your authenticator app".',
  'authenticator-removed': 'Your authenticator app was removed.',
  'default-factor': 'Saved: the sign-in offers your choice first.',
  passkey: 'Your passkey or security key was saved.',
  'passkey-renamed': 'The passkey was renamed.',
  'passkey-removed': 'The passkey or security key was removed.',
  devices: 'All devices were forgotten: each will be asked for a code at its next sign-in.',
} as const;
export type NoticeKey = keyof typeof NOTICES;

export function renderAccountPage(ctx: Context, services: AccountPageDeps, view: string, locals: Record<string, unknown>, status = 200): void {
  const { user, practice } = signedIn(ctx);
  const key = typeof ctx.query.notice === 'string' ? ctx.query.notice : '';
  renderPage(ctx, services.render, `account/${view}`, {
    me: { name: user.name, email: user.email, practiceName: practice.name },
    practiceName: practice.name,
    practiceLogo: logoUrl(practice),
    currentPath: ctx.path,
    notice: Object.hasOwn(NOTICES, key) ? NOTICES[key as NoticeKey] : undefined,
    ...locals,
  }, status);
}

export function redirectWithNotice(ctx: Context, path: string, notice: NoticeKey): void {
  ctx.status = 303;
  ctx.redirect(`${path}?notice=${notice}`);
}

/** Where the request came from, for the audit entry and the email. */
export function requestWhere(ctx: Context): RequestOrigin {
  return requestOrigin(ctx);
}

/** The text field of the posted form (formBody), cut to a sane length. */
export function formText(ctx: Context, name: string, max = 300): string {
  const form = ctx.state.form;
  return String(form?.[name] ?? '').slice(0, max);
}

/** The user's own change, audited; rejects (and so fails the request) when the entry cannot be written. */
export async function auditOwnChange(ctx: Context, services: AccountPageDeps, event: AuditEvent, details?: Record<string, unknown>): Promise<void> {
  const { user } = signedIn(ctx);
  await services.audit.record({
    event, outcome: 'success', practiceId: user.practiceId, userSub: user.sub, ...requestWhere(ctx), ...(details ? { details } : {}),
  });
}

/** The "was this you?" email after a change; never fails the change it reports. */
export async function notifyOwnChange(ctx: Context, services: AccountPageDeps, notice: { subject: string; summary: string; details?: string[] }): Promise<void> {
  const { user, practice } = signedIn(ctx);
  const { ip } = requestWhere(ctx);
  await sendSecurityNotice(services, user, { ...notice, ...(ip ? { ip } : {}), at: new Date(services.now()), practiceName: practice.name, timeZone: practice.timeZone ?? null });
}
