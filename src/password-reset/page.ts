// Rendering shared by the reset and invitation pages: our layout and headers, a fresh CSRF token
// in every form, and the password form that shows the practice's rules before anything is typed.
import { describeRulesInLanguage } from '../i18n/password-rules.js';
import type { Context } from 'koa';
import type { Types } from 'mongoose';
import { renderPage } from '../http/page.js';
import { requestOrigin } from '../net/request-origin.js';
import type { AccountService } from '../accounts/service.js';
import type { Render } from '../http/render.js';
import type { RequestInfo } from './service.js';

/** What this module needs from the composition root (src/app/). */
export interface PasswordResetPageDeps {
  accounts: AccountService;
  render: Render;
}

/** Client IP (trusted proxies honoured by the client-ip middleware) and user agent, for the audit log. */
export function requestInfo(ctx: Context): RequestInfo {
  return requestOrigin(ctx);
}

export interface PasswordFormOptions {
  user: { _id: Types.ObjectId; email: string; practiceId: Types.ObjectId };
  action: string;
  heading: string;
  intro: string;
  submitLabel: string;
  /** A refused attempt: one message, or the sentences of the unmet rules. */
  failure?: { error?: string; unmet?: string[] };
}

export async function renderPasswordForm(ctx: Context, services: PasswordResetPageDeps, options: PasswordFormOptions): Promise<void> {
  // The strictest of the person's practices, each rule naming who asked when there are several.
  const { policy, askedBy, practices } = await services.accounts.passwordPolicyForUser(options.user._id);
  renderPage(ctx, services.render, 'password-reset/new-password', {
    title: options.heading,
    heading: options.heading,
    intro: options.intro,
    action: options.action,
    submitLabel: options.submitLabel,
    username: options.user.email,
    rules: describeRulesInLanguage(policy, practices > 1 ? askedBy : undefined),
    error: options.failure?.error ?? null,
    unmet: options.failure?.unmet ?? null,
  }, options.failure ? 400 : 200);
}

