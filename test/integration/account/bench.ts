// Shared by the settings tests: an MFA bench (real SMTP catcher, SMS API stand-in) and a browser
// signed in to /account through the real pages, with the emailed code when the rules ask for one.
import { expect } from 'chai';
import { type Browser, field, type Page } from '../../helpers/browser.js';
import { isCodePage, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { submitLogin } from '../../helpers/rp.js';
import type { UserDoc } from '../../../src/accounts/service.js';
import type { AuditEvent } from '../../../src/audit/events.js';
import type { AuditEntry } from '../../../src/store/models/audit-entry.js';

export const PASSWORD = 'Quiet-Harbor-Lantern-0123!';
const usedCodes = new WeakSet<object>();

/** Follows redirects from `page` (until `stopAt`); on a code page, enters the code emailed to `email` and goes on. */
export async function throughCode(bench: MfaBench, browser: Browser, page: Page, email: string, stopAt?: string): Promise<{ page: Page; askedForCode: boolean }> {
  let current = await browser.follow(page, stopAt);
  const askedForCode = isCodePage(current);
  if (askedForCode) {
    const mail = await bench.mail.waitFor((candidate) => candidate.to.includes(email.toLowerCase()) && / is your sign-in code$/.test(candidate.subject) && !usedCodes.has(candidate));
    usedCodes.add(mail);
    current = await browser.follow(await submitCode(browser, current, mail.code!), stopAt);
  }
  return { page: current, askedForCode };
}

/** Opens `path` under /account, signing in with the password (and a code if asked). */
export async function openSignedIn(bench: MfaBench, browser: Browser, user: UserDoc, path = '/account', password = PASSWORD): Promise<Page> {
  const first = await browser.follow(await browser.get(bench.server.url(path)));
  if (!first.html.includes('autocomplete="current-password"') || !first.html.includes('name="email"')) return first;
  const { page } = await throughCode(bench, browser, await submitLogin(browser, first, user.email, password), user.email);
  expect(page.status, `${path} after sign-in: ${page.html.replace(/<[^>]+>/g, " ").slice(0, 600)}`).to.equal(200);
  return page;
}

/** Posts a form of `page` (found by its action) with its CSRF token and `fields`. */
export function postForm(bench: MfaBench, browser: Browser, page: Page, action: string, fields: Record<string, string> = {}): Promise<Page> {
  return browser.post(bench.server.url(action), { _csrf: field(page.html, '_csrf'), ...fields });
}

/** The newest audit entries of a user for one event. */
export async function auditOf(bench: MfaBench, user: UserDoc, event: AuditEvent): Promise<AuditEntry[]> {
  return bench.server.models.AuditEntry.find({ userSub: user.sub, event }).sort({ seq: -1 }).lean<AuditEntry[]>();
}
