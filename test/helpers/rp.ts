/**
 * A relying party (an EHR module) built on openid-client, as a real app would use it, plus the
 * helper that drives a full sign-in through the pages with a Browser.
 */
import * as oidc from 'openid-client';
import type { TestServer } from './server.js';
import { field, formAction, type Browser, type Page } from './browser.js';

/**
 * Where the test apps live: a loopback port nothing listens on (4 is unassigned and privileged, so
 * no test server's random port can take it) and that browsers open (Chromium refuses port 9 and
 * other well-known ones with ERR_UNSAFE_PORT). HTTP clients and browser tests read the redirect to
 * it (Playwright's page.route answers only the first URL of a redirect chain).
 */
export const APP_ORIGIN = 'http://127.0.0.1:4';
export const REDIRECT_URI = `${APP_ORIGIN}/callback`;
export const SIGNED_OUT_URI = `${APP_ORIGIN}/signed-out`;

export interface RelyingParty {
  clientId: string;
  config: oidc.Configuration;
  redirectUri: string;
}

export async function relyingParty(server: TestServer, clientId: string, clientSecret?: string, redirectUri = REDIRECT_URI): Promise<RelyingParty> {
  const config = await oidc.discovery(
    new URL(server.issuer), clientId, { redirect_uris: [redirectUri] },
    clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(),
    { execute: [oidc.allowInsecureRequests] },
  );
  return { clientId, config, redirectUri };
}

export interface AuthorizationStart {
  url: URL;
  verifier: string;
  nonce: string;
  state: string;
}

export async function startAuthorization(rp: RelyingParty, params: Record<string, string> = {}): Promise<AuthorizationStart> {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(rp.config, {
    redirect_uri: rp.redirectUri,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    ...params,
  });
  return { url, verifier, nonce, state };
}

/** Submits the login form shown on `page`. */
export function submitLogin(browser: Browser, page: Page, email: string, password: string): Promise<Page> {
  return browser.post(formAction(page, '/login'), { _csrf: field(page.html, '_csrf'), email, password });
}

/** Redirects until the app's callback; returns the callback URL (code or error). */
export async function untilCallback(browser: Browser, rp: RelyingParty, page: Page): Promise<URL> {
  const last = await browser.follow(page, rp.redirectUri);
  if (!last.location?.startsWith(rp.redirectUri)) throw new Error(`expected a redirect to the app, got ${last.status} at ${last.url}`);
  return new URL(last.location);
}

/** The whole sign-in: authorize → login page → password → (consent skipped for first party) → tokens. */
export async function signIn(browser: Browser, rp: RelyingParty, email: string, password: string, params: Record<string, string> = {}) {
  const start = await startAuthorization(rp, params);
  const loginPage = await browser.follow(await browser.get(start.url.href), rp.redirectUri);
  const callback = await untilCallback(browser, rp, await submitLogin(browser, loginPage, email, password));
  const tokens = await exchange(rp, start, callback);
  return { start, callback, tokens };
}

export function exchange(rp: RelyingParty, start: AuthorizationStart, callback: URL) {
  return oidc.authorizationCodeGrant(rp.config, callback, {
    pkceCodeVerifier: start.verifier,
    expectedNonce: start.nonce,
    expectedState: start.state,
    idTokenExpected: true,
  });
}

/** A sign-in that must not show any page: the session already exists (SSO). */
export async function silentSignIn(browser: Browser, rp: RelyingParty, params: Record<string, string> = {}) {
  const start = await startAuthorization(rp, params);
  const callback = await untilCallback(browser, rp, await browser.get(start.url.href));
  return { start, callback, tokens: await exchange(rp, start, callback) };
}
