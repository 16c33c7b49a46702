/**
 * An admin signed in to /admin over HTTP, at the MFA level: the page asked for sends the browser
 * through the console sign-in (password, then the emailed code read from the real SMTP catcher)
 * and back. Needs an MfaBench (startMfaBench): its mail catcher receives the code.
 */
import { expect } from 'chai';
import type { UserDoc } from '../../src/accounts/service.js';
import { Browser, field, type Page } from './browser.js';
import { isCodePage, submitCode, type MfaBench } from './mfa.js';
import { submitLogin } from './rp.js';

/** Opens `path` as `user`, signing in with `password` and the emailed code; returns the page (200 for an admin). */
export async function adminSignIn(bench: MfaBench, user: Pick<UserDoc, 'email'>, password: string, path = '/admin/ip-access', from = '198.51.100.20'): Promise<{ browser: Browser; page: Page; csrfToken: string }> {
  const browser = new Browser({ from });
  const login = await browser.follow(await browser.get(bench.server.url(path)));
  expect(login.html, 'login page').to.include('autocomplete="current-password"');
  const codePage = await browser.follow(await submitLogin(browser, login, user.email, password));
  expect(isCodePage(codePage), 'code page').to.equal(true);
  const { code } = await bench.mail.nextTo(user.email);
  // A token of this browser's CSRF secret (one cookie for all our forms), for posts from a refusal page.
  const csrfToken = field(codePage.html, '_csrf');
  return { browser, page: await browser.follow(await submitCode(browser, codePage, code!)), csrfToken };
}
