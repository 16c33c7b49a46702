// Shared by the factor tests: enrol an authenticator app through the real /account pages, and type
// a code (computed from the key the page showed, at the server's clock) on the sign-in page.
import { expect } from 'chai';
import type { UserDoc } from '../../../src/accounts/service.js';
import { codeAt, stepAt } from '../../../src/mfa/factors/totp/steps.js';
import { field, formAction, type Browser, type Page } from '../../helpers/browser.js';
import type { MfaBench } from '../../helpers/mfa.js';
import { openSignedIn, postForm } from '../account/bench.js';

/** The base32 key the enrolment page shows. */
export function manualKey(page: Page): string {
  const key = /id="manual-key">([A-Z2-7 ]+)</.exec(page.html)?.[1];
  if (!key) throw new Error('no manual key on the page');
  return key.replace(/ /g, '');
}

/** The code an app holding `key` shows `steps` steps from the server's now. */
export const appCode = (bench: MfaBench, key: string, steps = 0) => codeAt(key, stepAt(bench.server.clock.now()) + steps);

/** Signs in to /account/authenticator (a code by email if asked), scans, types the first code; returns the key. */
export async function enrolAuthenticator(bench: MfaBench, browser: Browser, user: UserDoc): Promise<string> {
  const page = await openSignedIn(bench, browser, user, '/account/authenticator');
  expect(page.html, 'QR code').to.include('<svg').and.include('aria-label="QR code for your authenticator app"');
  const key = manualKey(page);
  const saved = await browser.follow(await postForm(bench, browser, page, '/account/authenticator', { code: appCode(bench, key) }));
  expect(saved.html).to.include('Your authenticator app was saved.');
  return key;
}

/** Types `code` into the typed-factor form of a sign-in page. */
export function submitFactor(browser: Browser, page: Page, code: string): Promise<Page> {
  const factor = /name="factor" value="([a-z]+)"/.exec(page.html)?.[1];
  if (!factor) throw new Error('no typed factor form on the page');
  return browser.post(formAction(page, '/verify-factor'), { _csrf: field(page.html, '_csrf'), factor, code });
}
