// What every settings page shares: rendering with the CSRF token and our page headers, the short
// notice after a change (Post/Redirect/Get, from a fixed list so a link cannot put words on the
// page), where the request came from, and the audit entry plus email every change is reported by.
import { currentLanguage, t } from '../i18n/request.js';
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

/** The notice after a change, by the `notice` query parameter: its text is account:notices.<key>. */
export const NOTICES = {
  password: 'account:notices.password',
  'two-step': 'account:notices.two_step',
  unchanged: 'account:notices.unchanged',
  phone: 'account:notices.phone',
  device: 'account:notices.device',
  devices: 'account:notices.devices',
  authenticator: 'account:notices.authenticator',
  'authenticator-removed': 'account:notices.authenticator_removed',
  'default-factor': 'account:notices.default_factor',
  passkey: 'account:notices.passkey',
  'passkey-renamed': 'account:notices.passkey_renamed',
  'passkey-removed': 'account:notices.passkey_removed',
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
    notice: Object.hasOwn(NOTICES, key) ? t(NOTICES[key as NoticeKey]) : undefined,
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
  // Written with `t` in this request's language (the user's own request): the whole email follows it.
  await sendSecurityNotice(services, user, {
    ...notice, ...(ip ? { ip } : {}), at: new Date(services.now()), practiceName: practice.name, timeZone: practice.timeZone ?? null, language: currentLanguage(),
  });
}
