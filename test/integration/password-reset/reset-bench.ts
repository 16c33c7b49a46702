/**
 * Password reset bench: a provider with a real SMTP catcher, 127.0.0.1 as trusted proxy (so each
 * Browser's `from` is its client IP and tests do not share the per-IP reset limit), two first-party
 * modules with back-channel logout endpoints on a tiny local HTTP server, and helpers that walk the
 * reset pages like a person would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { DEFAULT_LIMITS, LIMIT_NAMES } from '../../../src/config/limit-rules.js';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { FakeClock } from '../../helpers/clock.js';
import { startMailCatcher, type MailCatcher } from '../../helpers/mail-catcher.js';
import { REDIRECT_URI, relyingParty, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

export const REDIRECT = REDIRECT_URI;
/** The real reset limits; every other limit out of the way of the many sign-ins here. */
const RATE_LIMITS = LIMIT_NAMES.map((name) => `${name}=${name.startsWith('reset_') ? `${DEFAULT_LIMITS[name].points}/${DEFAULT_LIMITS[name].seconds}` : '1000000/60'}`).join(',');

export interface LogoutReceiver {
  url: string;
  /** Every logout_token POSTed, with the module named in the query. */
  received: Array<{ client: string; token: string }>;
  close(): Promise<void>;
}

/** A module's back-channel logout endpoint. */
export async function logoutReceiver(): Promise<LogoutReceiver> {
  const received: LogoutReceiver['received'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      const client = new URL(req.url ?? '/', 'http://x').searchParams.get('client') ?? '';
      if (req.method === 'POST' && token) received.push({ client, token });
      res.writeHead(token ? 200 : 400).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/backchannel-logout`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface ResetBench {
  server: TestServer;
  mail: MailCatcher;
  receiver: LogoutReceiver;
  clock: FakeClock;
  charting: RelyingParty;
  billing: RelyingParty;
  close(): Promise<void>;
}

export async function startResetBench(): Promise<ResetBench> {
  const mail = await startMailCatcher();
  const receiver = await logoutReceiver();
  const clock = new FakeClock(Date.now());
  const server = await startServer({ clock, mfaPolicy: 'off', env: { ...mail.env(), TRUSTED_PROXIES: '127.0.0.1', RATE_LIMITS } });
  for (const clientId of ['charting', 'billing']) {
    await server.createClient({
      clientId, authMethod: 'none', firstParty: true, redirectUris: [REDIRECT],
      backchannelLogoutUri: `${receiver.url}?client=${clientId}`,
    });
  }
  return {
    server, mail, receiver, clock,
    charting: await relyingParty(server, 'charting', undefined, REDIRECT),
    billing: await relyingParty(server, 'billing', undefined, REDIRECT),
    async close() {
      await server.close();
      await Promise.all([mail.stop(), receiver.close()]);
    },
  };
}

let nextIp = 10;
/** A browser at its own client address (its own per-IP reset budget). */
export function newBrowser(): Browser {
  return new Browser({ from: `203.0.113.${nextIp++}` });
}

/** Opens the reset form and submits `email`; returns the POST's answer (a 303 to the code page). */
export async function submitEmail(server: TestServer, browser: Browser, email: string, returnPath?: string): Promise<Page> {
  const form = await browser.get(server.url(`/password-reset${returnPath ? `?return=${encodeURIComponent(returnPath)}` : ''}`));
  expect(form.status, 'reset form').to.equal(200);
  return browser.post(formAction(form, '/password-reset'), {
    _csrf: field(form.html, '_csrf'), email, ...(returnPath ? { return: returnPath } : {}),
  });
}

/** The whole first step: the code page the browser lands on. */
export async function requestCode(server: TestServer, browser: Browser, email: string, returnPath?: string): Promise<Page> {
  return browser.follow(await submitEmail(server, browser, email, returnPath));
}

export function enterCode(browser: Browser, codePage: Page, code: string): Promise<Page> {
  return browser.post(formAction(codePage, '/password-reset/code'), { _csrf: field(codePage.html, '_csrf'), code });
}

export function choosePassword(browser: Browser, page: Page, password: string, confirm = password): Promise<Page> {
  return browser.post(formAction(page, '/password-reset/'), { _csrf: field(page.html, '_csrf'), password, confirm });
}

/** The same page with its per-response CSRF tokens blanked out. */
export function withoutCsrf(html: string): string {
  return html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
}

/** A code that is not `code` (for wrong tries). */
export function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}
