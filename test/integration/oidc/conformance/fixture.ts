// One provider for the conformance checks (the OpenID Foundation suite's basic, config, form_post,
// RP-initiated and back-channel logout plans), with the relying parties those plans register:
// a first-party public module (PKCE), a third-party confidential app (client_secret_basic) and one
// using client_secret_post. Call inside a describe.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { startServer, type TestServer } from '../../../helpers/server.js';
import { type Browser, field, formAction, type Page } from '../../../helpers/browser.js';
import { REDIRECT_URI, relyingParty, SIGNED_OUT_URI, submitLogin, type RelyingParty } from '../../../helpers/rp.js';

export const PASSWORD = 'Tangerine kettle 9 drums';
export { SIGNED_OUT_URI };

export interface Conformance {
  server: TestServer;
  email: string;
  sub: string;
  /** First-party public module: PKCE, no consent screen. */
  module: RelyingParty;
  /** Third-party confidential app (client_secret_basic): consent screen. */
  vendor: RelyingParty & { secret: string };
  /** Confidential app registered for client_secret_post. */
  poster: RelyingParty & { secret: string };
}

/** Back-channel logout tokens the modules received (the module and the vendor app register it). */
export const logoutTokens: string[] = [];

let shared: Promise<Conformance & { close(): Promise<void> }> | undefined;

/** One provider for every file of this folder (started by the first, closed after the whole run). */
async function start(): Promise<Conformance & { close(): Promise<void> }> {
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString())).on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (token) logoutTokens.push(token);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const backchannelLogoutUri = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/backchannel`;
  const server = await startServer();
  const user = await server.createUser({ email: 'suite@clinic.test', name: 'Ines Suite', password: PASSWORD });
  const logout = { postLogoutRedirectUris: [SIGNED_OUT_URI], backchannelLogoutUri };
  await server.createClient({ clientId: 'module', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT_URI], ...logout });
  const vendor = await server.createClient({ clientId: 'vendor', redirectUris: [REDIRECT_URI], ...logout });
  const poster = await server.createClient({ clientId: 'poster', authMethod: 'client_secret_post', redirectUris: [REDIRECT_URI] });
  const posterConfig = await oidc.discovery(new URL(server.issuer), 'poster', { redirect_uris: [REDIRECT_URI] }, oidc.ClientSecretPost(poster.clientSecret!), { execute: [oidc.allowInsecureRequests] });
  return {
    server, email: user.email, sub: user.sub,
    module: await relyingParty(server, 'module'),
    vendor: { ...(await relyingParty(server, 'vendor', vendor.clientSecret)), secret: vendor.clientSecret! },
    poster: { clientId: 'poster', config: posterConfig, redirectUri: REDIRECT_URI, secret: poster.clientSecret! },
    async close() {
      await server.close();
      await new Promise((resolve) => receiver.close(resolve));
    },
  };
}

// A root-level hook: once after the whole run, or after each file with `mocha --parallel` (each file
// has its own root there, while a worker keeps this module for its next file: that one starts anew).
after(async () => {
  const running = shared;
  shared = undefined;
  if (running) await (await running).close();
});

/** The folder's provider, filled in by a before hook: call inside a describe. */
export function conformanceProvider(): Conformance {
  const fixture = {} as Conformance;
  before(async () => {
    Object.assign(fixture, await (shared ??= start()));
  });
  return fixture;
}

/** Drives the browser from an authorization URL to the app's callback: password, then consent if shown. */
export async function authorizeInBrowser(browser: Browser, url: string, email: string, password = PASSWORD, stopAt = REDIRECT_URI): Promise<Page> {
  let page = await browser.follow(await browser.get(url), stopAt);
  if (page.html.includes('autocomplete="current-password"')) page = await browser.follow(await submitLogin(browser, page, email, password), stopAt);
  if (page.html.includes('name="decision"')) {
    page = await browser.follow(await browser.post(formAction(page, '/consent'), { _csrf: field(page.html, '_csrf'), decision: 'approve' }), stopAt);
  }
  return page;
}
