/**
 * MFA test bench: a provider with a real SMTP catcher and the SMS provider's API stand-in behind
 * the real SDK, 127.0.0.1 as its trusted proxy (so a Browser's `from` is the client IP), two
 * first-party modules as relying parties, and helpers that walk the sign-in pages.
 */
import { expect } from 'chai';
import type * as oidc from 'openid-client';
import type { MfaPolicy } from '../../src/store/models/practice.js';
import { FakeClock } from './clock.js';
import { Browser, field, formAction, type Page } from './browser.js';
import { startMailCatcher, type MailCatcher } from './mail-catcher.js';
import { exchange, REDIRECT_URI, relyingParty, startAuthorization, submitLogin, untilCallback, type AuthorizationStart, type RelyingParty } from './rp.js';
import { startServer, type StartServerOptions, type TestServer } from './server.js';
import { startSmsCatcher, type SmsCatcher } from './sms-catcher.js';

export const REDIRECT = REDIRECT_URI;

export interface MfaBench {
  server: TestServer;
  mail: MailCatcher;
  sms: SmsCatcher;
  charting: RelyingParty;
  billing: RelyingParty;
  close(): Promise<void>;
}

export async function startMfaBench(options: StartServerOptions & { mfaPolicy?: MfaPolicy; shared?: { mail: MailCatcher; sms: SmsCatcher } } = {}): Promise<MfaBench> {
  const mail = options.shared?.mail ?? await startMailCatcher();
  const sms = options.shared?.sms ?? await startSmsCatcher();
  const server = await startServer({
    clock: new FakeClock(Date.now()),
    ...options,
    mfaPolicy: options.mfaPolicy ?? 'risk',
    env: { ...mail.env(), ...sms.env(), TRUSTED_PROXIES: '127.0.0.1', ...options.env },
  });
  for (const clientId of ['charting', 'billing']) {
    if (!(await server.models.Client.exists({ _id: clientId }))) {
      await server.createClient({ clientId, authMethod: 'none', firstParty: true, redirectUris: [REDIRECT] });
    }
  }
  return {
    server, mail, sms,
    charting: await relyingParty(server, 'charting', undefined, REDIRECT),
    billing: await relyingParty(server, 'billing', undefined, REDIRECT),
    async close() {
      await server.close();
      if (!options.shared) await Promise.all([mail.stop(), sms.stop()]);
    },
  };
}

export interface SignInAttempt {
  start: AuthorizationStart;
  /** The page after the password: the code page, or a redirect to the app. */
  page: Page;
}

/** Authorize, then the password; stops at the code page or the app's callback. */
export async function passwordStep(browser: Browser, rp: RelyingParty, email: string, password: string, params: Record<string, string> = {}): Promise<SignInAttempt> {
  const start = await startAuthorization(rp, params);
  const login = await browser.follow(await browser.get(start.url.href), rp.redirectUri);
  expect(login.html, 'login page').to.include('autocomplete="current-password"');
  return { start, page: await browser.follow(await submitLogin(browser, login, email, password), rp.redirectUri) };
}

/** Authorize with a session: stops at the code page or the app's callback. */
export async function authorize(browser: Browser, rp: RelyingParty, params: Record<string, string> = {}): Promise<SignInAttempt> {
  const start = await startAuthorization(rp, params);
  return { start, page: await browser.follow(await browser.get(start.url.href), rp.redirectUri) };
}

export function isCodePage(page: Page): boolean {
  return page.status < 300 && page.html.includes('autocomplete="one-time-code"');
}

export function submitCode(browser: Browser, page: Page, code: string): Promise<Page> {
  return browser.post(formAction(page, '/verify'), { _csrf: field(page.html, '_csrf'), code });
}

/** Presses "Send a new code" (the current channel) or the switch button for `channel`. */
export function requestCode(browser: Browser, page: Page, channel?: 'sms' | 'email'): Promise<Page> {
  const forms = [...page.html.matchAll(/<form[^>]*action="([^"]*\/resend)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = channel ? forms.find((match) => match[2]!.includes(`value="${channel}"`)) : forms[0];
  if (!form) throw new Error(`no resend form${channel ? ` for ${channel}` : ''} on the page`);
  return browser.post(new URL(form[1]!, page.url).href, { _csrf: field(form[2]!, '_csrf'), ...(channel ? { channel } : {}) });
}

/** After the code (or without one): to the app, then tokens; returns the ID token claims. */
export async function finishAt(browser: Browser, attempt: SignInAttempt, rp: RelyingParty, page = attempt.page) {
  const callback = await untilCallback(browser, rp, page);
  const tokens = await exchange(rp, attempt.start, callback);
  return tokens.claims()!;
}

/** A browser for a person at `ip`, optionally carrying another browser's device cookie (the same machine, a new session). */
export function browserAt(ip: string, sameDeviceAs?: Browser): Browser {
  const browser = new Browser({ from: ip });
  for (const [name, value] of sameDeviceAs?.cookies() ?? []) {
    if (name.startsWith('idp.device')) browser.cookies().set(name, value);
  }
  return browser;
}

export type IdTokenClaims = oidc.IDToken;
