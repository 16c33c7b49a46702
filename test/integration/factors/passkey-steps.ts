// Shared by the passkey tests: a software authenticator (test/helpers/soft-authenticator.ts)
// registered through the real /account pages, the sign-in page's passwordless form, and the
// practice switches set through the service the commands use.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import type { UserDoc } from '../../../src/accounts/service.js';
import type { PasskeyPolicy } from '../../../src/mfa/factors/passkey-policy.js';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import type { MfaBench } from '../../helpers/mfa.js';
import { startAuthorization, type AuthorizationStart, type RelyingParty } from '../../helpers/rp.js';
import { softCredentialOf } from '../../helpers/soft-credential.js';
import { SoftAuthenticator, webauthnOptionsOf, type AssertOptions } from '../../helpers/soft-authenticator.js';
import { openSignedIn, postForm } from '../account/bench.js';

/** The WebAuthn options a page carries for its script. */
export function pageOptions<T = { challenge: string; rpId?: string; rp: { id?: string }; user: { id: string } }>(page: Page): T {
  return webauthnOptionsOf<T>(page.html);
}

/** Registers a software passkey for `user` from /account (after a fresh second factor). */
export async function enrolSoftPasskey(bench: MfaBench, user: UserDoc, name = 'Soft passkey'): Promise<SoftAuthenticator> {
  const soft = new SoftAuthenticator(new URL(bench.server.issuer).origin);
  const browser = new Browser();
  const page = await openSignedIn(bench, browser, user, '/account/passkeys/new?kind=passkey');
  const saved = await postForm(bench, browser, page, '/account/passkeys', { kind: 'passkey', name, response: JSON.stringify(soft.register(pageOptions(page))) });
  expect(saved.location, 'passkey saved').to.include('notice=passkey');
  return soft;
}

/** A software passkey registered through the factor service (for a user whose /account page would itself ask for the passkey). */
export function softPasskeyOf(bench: MfaBench, user: UserDoc, name = 'Soft passkey'): Promise<SoftAuthenticator> {
  return softCredentialOf(bench, user, 'passkey', name);
}

export async function setPasskeyPolicy(bench: MfaBench, practiceId: Types.ObjectId, policy: Partial<PasskeyPolicy>): Promise<void> {
  const { accounts } = bench.server.idp;
  await accounts.setPasskeyPolicy(practiceId, { ...(await accounts.passkeyPolicy(practiceId)), ...policy });
}

/** authorize → the sign-in page (not signed in anywhere). */
export async function signInPage(browser: Browser, rp: RelyingParty, params: Record<string, string> = {}): Promise<{ start: AuthorizationStart; page: Page }> {
  const start = await startAuthorization(rp, params);
  return { start, page: await browser.follow(await browser.get(start.url.href), rp.redirectUri) };
}

/** Answers the sign-in page's passwordless challenge with `soft` and posts it like the page's script does. */
export function postPasswordless(browser: Browser, page: Page, answer: Record<string, unknown>): Promise<Page> {
  return browser.post(formAction(page, '/passkey'), { _csrf: field(page.html, '_csrf'), response: JSON.stringify(answer) });
}

export function answerOn(page: Page, soft: SoftAuthenticator, how: AssertOptions = {}) {
  return soft.assert(pageOptions(page), soft.credentials[0], how);
}
