// RP-initiated logout with our confirmation page, and back-channel logout tokens delivered to every
// module the session touched, verified the way a module must (jose against the JWKS).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { startServer, type TestServer } from '../../helpers/server.js';
import { Browser, field } from '../../helpers/browser.js';
import { relyingParty, signIn, silentSignIn, startAuthorization, type RelyingParty } from '../../helpers/rp.js';

const PASSWORD = 'Sign me out everywhere 1';
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** A module's back-channel logout endpoint: collects every logout_token POSTed to it. */
async function logoutReceiver(): Promise<{ url: string; tokens: string[]; close(): Promise<void> }> {
  const tokens: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (req.method === 'POST' && token) tokens.push(token);
      res.writeHead(token ? 200 : 400).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/backchannel-logout`, tokens, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('oidc: logout', () => {
  let server: TestServer;
  let receiver: Awaited<ReturnType<typeof logoutReceiver>>;
  let charting: RelyingParty;
  let billing: RelyingParty;

  before(async () => {
    server = await startServer();
    receiver = await logoutReceiver();
    await server.createUser({ email: 'lin@clinic.test', password: PASSWORD });
    for (const clientId of ['charting', 'billing']) {
      await server.createClient({
        clientId, authMethod: 'none', firstParty: true,
        redirectUris: ['http://127.0.0.1:9/callback'],
        postLogoutRedirectUris: ['http://127.0.0.1:9/signed-out'],
        backchannelLogoutUri: `${receiver.url}?client=${clientId}`,
      });
    }
    charting = await relyingParty(server, 'charting');
    billing = await relyingParty(server, 'billing');
  });

  after(async () => {
    await server.close();
    await receiver.close();
  });

  it('confirms on our page, ends the session, notifies every module and returns to the app', async () => {
    const browser = new Browser();
    const first = await signIn(browser, charting, 'lin@clinic.test', PASSWORD);
    const second = await silentSignIn(browser, billing);
    // oidc-provider gives each client its own `sid` for the one session.
    const sidOf: Record<string, unknown> = { charting: first.tokens.claims()!.sid, billing: second.tokens.claims()!.sid };
    const sub = first.tokens.claims()!.sub;
    expect(second.tokens.claims()!.sub).to.equal(sub);
    receiver.tokens.length = 0;

    const endSession = oidc.buildEndSessionUrl(charting.config, {
      id_token_hint: first.tokens.id_token!,
      post_logout_redirect_uri: 'http://127.0.0.1:9/signed-out',
      state: 'bye',
    });
    const confirm = await browser.get(endSession.href);
    expect(confirm.status).to.equal(200);
    expect(confirm.html).to.include('<h1>Sign out?</h1>').and.include('form="op.logoutForm"');

    const done = await browser.post(new URL('/session/end/confirm', server.issuer).href, { xsrf: field(confirm.html, 'xsrf'), logout: 'yes' });
    expect(done.location).to.equal('http://127.0.0.1:9/signed-out?state=bye');

    expect(receiver.tokens).to.have.length(2);
    const jwks = createRemoteJWKSet(new URL(charting.config.serverMetadata().jwks_uri!));
    const audiences = [];
    for (const token of receiver.tokens) {
      const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: server.issuer, typ: 'logout+jwt' });
      expect(protectedHeader.alg).to.equal('RS256');
      expect(payload.events).to.deep.equal({ [BACKCHANNEL_EVENT]: {} });
      const aud = (payload as JWTPayload).aud as string;
      expect(payload).to.include({ sid: sidOf[aud], sub });
      expect(payload).to.not.have.property('nonce');
      audiences.push(aud);
    }
    expect(audiences.sort()).to.deep.equal(['billing', 'charting']);

    // The session is gone: the next authorization asks for the password again.
    const again = await browser.follow(await browser.get((await startAuthorization(charting)).url.href));
    expect(again.html).to.include('autocomplete="current-password"');
  });

  it('shows our signed-out page when the app gives no return address', async () => {
    const browser = new Browser();
    const { tokens } = await signIn(browser, charting, 'lin@clinic.test', PASSWORD);
    const confirm = await browser.get(oidc.buildEndSessionUrl(charting.config, { id_token_hint: tokens.id_token! }).href);
    const done = await browser.follow(await browser.post(new URL('/session/end/confirm', server.issuer).href, { xsrf: field(confirm.html, 'xsrf'), logout: 'yes' }));
    expect(done.status).to.equal(200);
    expect(done.html).to.include('You are signed out');
  });
});
