// Rendering shared by the reset and invitation pages: our layout and headers, a fresh CSRF token
// in every form, and the password form that shows the practice's rules before anything is typed.
import { describeRulesInLanguage } from '../i18n/password-rules.js';
import type { Context } from 'koa';
import type { Types } from 'mongoose';
import { PAGE_HEADERS } from '../http/render.js';
import type { AppServices } from '../http/services.js';
import type { RequestInfo } from './service.js';

export function renderPage(ctx: Context, services: Pick<AppServices, 'render'>, view: string, locals: Record<string, unknown>, status = 200): void {
  ctx.set(PAGE_HEADERS);
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = services.render(view, { csrfToken: (ctx.state.csrfToken as () => string)(), ...locals });
}

/** Client IP (trusted proxies honoured by the client-ip middleware) and user agent, for the audit log. */
export function requestInfo(ctx: Context): RequestInfo {
  const ip = ctx.state.clientIp as string | undefined;
  const userAgent = ctx.get('user-agent');
  return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
}

export interface PasswordFormOptions {
  user: { email: string; practiceId: Types.ObjectId };
  action: string;
  heading: string;
  intro: string;
  submitLabel: string;
  /** A refused attempt: one message, or the sentences of the unmet rules. */
  failure?: { error?: string; unmet?: string[] };
}

export async function renderPasswordForm(ctx: Context, services: Pick<AppServices, 'render' | 'accounts'>, options: PasswordFormOptions): Promise<void> {
  const policy = await services.accounts.passwordPolicyFor(options.user.practiceId);
  renderPage(ctx, services, 'password-reset/new-password', {
    title: options.heading,
    heading: options.heading,
    intro: options.intro,
    action: options.action,
    submitLabel: options.submitLabel,
    username: options.user.email,
    rules: describeRulesInLanguage(policy),
    error: options.failure?.error ?? null,
    unmet: options.failure?.unmet ?? null,
  }, options.failure ? 400 : 200);
}

