// What a relying party and a clinician's browser do, as the driver runs them: full sign-ins
// through the pages (openid-client as the app), and raw token-endpoint calls identical for both
// servers so their cost compares like for like.
import * as oidc from 'openid-client';
import { Browser } from '../test/helpers/browser.js';
import type { MailCatcher } from '../test/helpers/mail-catcher.js';
import { finishAt, isCodePage, passwordStep, submitCode } from '../test/helpers/mfa.js';
import { exchange, signIn, startAuthorization, untilCallback, type RelyingParty } from '../test/helpers/rp.js';
import { webauthnOptionsOf, type SoftAuthenticator } from '../test/helpers/soft-authenticator.js';
import { field, formAction } from '../test/helpers/browser.js';

export async function relyingPartyAt(issuer: string, clientId: string, redirectUri: string): Promise<RelyingParty> {
  const config = await oidc.discovery(new URL(issuer), clientId, { redirect_uris: [redirectUri] }, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  return { clientId, config, redirectUri };
}

/** authorize → login page → password → code → token, in a fresh browser. */
export async function passwordSignIn(rp: RelyingParty, email: string, password: string): Promise<void> {
  const { tokens } = await signIn(new Browser(), rp, email, password);
  if (!tokens.id_token) throw new Error('no ID token');
}

/** authorize → password → code page → the code from the mailbox → code → token. */
export async function emailCodeSignIn(rp: RelyingParty, mail: MailCatcher, email: string, password: string): Promise<void> {
  const browser = new Browser();
  const attempt = await passwordStep(browser, rp, email, password);
  if (!isCodePage(attempt.page)) throw new Error(`expected the code page, got ${attempt.page.status} at ${attempt.page.url}`);
  const { code } = await mail.nextTo(email, 10_000);
  if (!code) throw new Error('no code in the message');
  await finishAt(browser, attempt, rp, await browser.follow(await submitCode(browser, attempt.page, code), rp.redirectUri));
}

/** authorize → sign-in page → the passkey alone (a software authenticator's ES256 assertion) → token. */
export async function passkeySignIn(rp: RelyingParty, soft: SoftAuthenticator): Promise<void> {
  const browser = new Browser();
  const start = await startAuthorization(rp);
  const page = await browser.follow(await browser.get(start.url.href), rp.redirectUri);
  const answer = soft.assert(webauthnOptionsOf(page.html));
  const posted = await browser.post(formAction(page, '/passkey'), { _csrf: field(page.html, '_csrf'), response: JSON.stringify(answer) });
  const tokens = await exchange(rp, start, await untilCallback(browser, rp, posted));
  if (tokens.claims()?.acr !== 'urn:ehr-idp:acr:phr') throw new Error('the passkey sign-in did not reach acr phr');
}

export interface IssuedCode {
  code: string;
  verifier: string;
}

/** An authorization code from a browser that already has a session (no page, no password). */
export async function issueCode(browser: Browser, rp: RelyingParty, params: Record<string, string> = {}): Promise<IssuedCode> {
  const start = await startAuthorization(rp, { scope: 'openid', ...params });
  const callback = await untilCallback(browser, rp, await browser.follow(await browser.get(start.url.href), rp.redirectUri));
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.searchParams.get('error') ?? callback.href}`);
  return { code, verifier: start.verifier };
}

/** A refresh token from a new authorization (offline_access asks for prompt=consent). */
export async function issueRefreshToken(browser: Browser, rp: RelyingParty): Promise<string> {
  const start = await startAuthorization(rp, { scope: 'openid offline_access', prompt: 'consent' });
  const callback = await untilCallback(browser, rp, await browser.follow(await browser.get(start.url.href), rp.redirectUri));
  const tokens = await exchange(rp, start, callback);
  if (!tokens.refresh_token) throw new Error('no refresh token');
  return tokens.refresh_token;
}

/** One POST to the token endpoint; throws on an error answer. */
export async function tokenRequest(rp: RelyingParty, form: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(rp.config.serverMetadata().token_endpoint!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ client_id: rp.clientId, ...form }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`token endpoint ${res.status}: ${String(body.error)} ${String(body.error_description ?? '')}`);
  return body;
}

/** A client credentials token for a confidential service client (client_secret_basic). */
export async function clientCredentials(rp: RelyingParty, service: { clientId: string; clientSecret: string }): Promise<void> {
  const credentials = `${encodeURIComponent(service.clientId)}:${encodeURIComponent(service.clientSecret)}`;
  const res = await fetch(rp.config.serverMetadata().token_endpoint!, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok || typeof body.access_token !== 'string') throw new Error(`token endpoint ${res.status}: ${String(body.error)}`);
}

export const exchangeCode = (rp: RelyingParty, issued: IssuedCode) => tokenRequest(rp, {
  grant_type: 'authorization_code', code: issued.code, code_verifier: issued.verifier, redirect_uri: rp.redirectUri,
});

export async function getOk(url: string): Promise<void> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
}
