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
        redirectUris: ['http://127.0.0.1:4/callback'],
        postLogoutRedirectUris: ['http://127.0.0.1:4/signed-out'],
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

  /** A module's refresh: the HTTP status the token endpoint answers. */
  async function refreshStatus(rp: RelyingParty, refreshToken: string): Promise<number> {
    const res = await fetch(server.url('/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: rp.clientId }),
    });
    return res.status;
  }
  const userinfoStatus = async (accessToken: string) => (await fetch(server.url('/me'), { headers: { authorization: `Bearer ${accessToken}` } })).status;
  const OFFLINE = { scope: 'openid offline_access', prompt: 'consent' };

  /** Signed in to both modules with offline access: their tokens, and the `sid` each was given. */
  async function signedInTwice(browser: Browser) {
    const first = await signIn(browser, charting, 'lin@clinic.test', PASSWORD, OFFLINE);
    // prompt=consent: the provider issues a refresh token for offline_access only then (first-party
    // modules pass the consent step without a page).
    const second = await silentSignIn(browser, billing, OFFLINE);
    expect(first.tokens.refresh_token, 'charting refresh token').to.be.a('string');
    expect(second.tokens.refresh_token, 'billing refresh token').to.be.a('string');
    receiver.tokens.length = 0;
    return { first: first.tokens, second: second.tokens, sidOf: { charting: first.tokens.claims()!.sid, billing: second.tokens.claims()!.sid } as Record<string, unknown> };
  }

  /** Every module got a verified logout token for its own sid; every token of the session is dead. */
  async function everythingEnded(browser: Browser, signedIn: Awaited<ReturnType<typeof signedInTwice>>) {
    expect(receiver.tokens).to.have.length(2);
    const jwks = createRemoteJWKSet(new URL(charting.config.serverMetadata().jwks_uri!));
    const audiences = [];
    for (const token of receiver.tokens) {
      const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: server.issuer, typ: 'logout+jwt' });
      expect(protectedHeader.alg).to.equal('RS256');
      expect(payload.events).to.deep.equal({ [BACKCHANNEL_EVENT]: {} });
      const aud = (payload as JWTPayload).aud as string;
      expect(payload).to.include({ sid: signedIn.sidOf[aud], sub: signedIn.first.claims()!.sub });
      expect(payload).to.not.have.property('nonce');
      audiences.push(aud);
    }
    expect(audiences.sort()).to.deep.equal(['billing', 'charting']);
    expect(await refreshStatus(charting, signedIn.first.refresh_token!), 'charting refresh').to.equal(400);
    expect(await refreshStatus(billing, signedIn.second.refresh_token!), 'billing refresh').to.equal(400);
    expect(await userinfoStatus(signedIn.first.access_token), 'charting access token').to.equal(401);
    expect(await userinfoStatus(signedIn.second.access_token), 'billing access token').to.equal(401);
    // The session is gone: the next authorization asks for the password again.
    const again = await browser.follow(await browser.get((await startAuthorization(charting)).url.href));
    expect(again.html).to.include('autocomplete="current-password"');
  }

  it('a valid id_token_hint ends the session without a second click: every module told, every token revoked', async () => {
    const browser = new Browser();
    const signedIn = await signedInTwice(browser);
    const endSession = oidc.buildEndSessionUrl(charting.config, {
      id_token_hint: signedIn.first.id_token!,
      post_logout_redirect_uri: 'http://127.0.0.1:4/signed-out',
      state: 'bye',
    });
    const done = await browser.get(endSession.href);
    expect(done.status).to.equal(303);
    expect(done.location).to.equal('http://127.0.0.1:4/signed-out?state=bye');
    await everythingEnded(browser, signedIn);
    expect(await server.models.AuditEntry.countDocuments({ event: 'session.logout', reasons: 'id_token_hint' })).to.be.at.least(1);
  });

  it('without a hint the confirmation page stays; confirming ends everything, offline tokens too', async () => {
    const browser = new Browser();
    const signedIn = await signedInTwice(browser);
    const confirm = await browser.get(oidc.buildEndSessionUrl(charting.config, { client_id: 'charting', post_logout_redirect_uri: 'http://127.0.0.1:4/signed-out', state: 'bye' }).href);
    expect(confirm.status).to.equal(200);
    expect(confirm.html).to.include('<h1>Sign out?</h1>').and.include('form="op.logoutForm"');
    // Walking away from the page signs nothing out.
    expect(await userinfoStatus(signedIn.first.access_token)).to.equal(200);

    const done = await browser.post(new URL('/session/end/confirm', server.issuer).href, { xsrf: field(confirm.html, 'xsrf'), logout: 'yes' });
    expect(done.location).to.equal('http://127.0.0.1:4/signed-out?state=bye');
    expect(receiver.tokens).to.have.length(2);
    expect(await refreshStatus(billing, signedIn.second.refresh_token!), 'billing offline refresh').to.equal(400);
    expect(await userinfoStatus(signedIn.second.access_token), 'billing access token').to.equal(401);
  });

  it('a hint from another sign-in (an old ID token) gets the confirmation page', async () => {
    const browser = new Browser();
    const old = await signIn(browser, charting, 'lin@clinic.test', PASSWORD);
    const other = new Browser();
    await signIn(other, charting, 'lin@clinic.test', PASSWORD);
    // The old token names the same user but another session: `other` is asked, not signed out.
    const page = await other.get(oidc.buildEndSessionUrl(charting.config, { id_token_hint: old.tokens.id_token! }).href);
    expect(page.status).to.equal(200);
    expect(page.html).to.include('<h1>Sign out?</h1>');
  });

  it('a module without back-channel logout (no sid in its ID tokens): another browser\'s hint of the same second gets the confirmation page', async () => {
    if (!(await server.models.Client.exists({ _id: 'scheduling' }))) {
      await server.createClient({ clientId: 'scheduling', authMethod: 'none', firstParty: true, redirectUris: ['http://127.0.0.1:4/callback'], postLogoutRedirectUris: ['http://127.0.0.1:4/signed-out'] });
    }
    const scheduling = await relyingParty(server, 'scheduling');
    const mine = new Browser();
    const theirs = new Browser();
    await signIn(mine, scheduling, 'lin@clinic.test', PASSWORD);
    const other = await signIn(theirs, scheduling, 'lin@clinic.test', PASSWORD);
    // Same user, and on the frozen test clock the same auth_time: only a sid could tell the sessions apart.
    const page = await mine.get(oidc.buildEndSessionUrl(scheduling.config, { id_token_hint: other.tokens.id_token! }).href);
    expect(page.status).to.equal(200);
    expect(page.html).to.include('<h1>Sign out?</h1>');
  });

  it('shows our signed-out page when the app gives no return address', async () => {
    const browser = new Browser();
    const { tokens } = await signIn(browser, charting, 'lin@clinic.test', PASSWORD);
    const done = await browser.follow(await browser.get(oidc.buildEndSessionUrl(charting.config, { id_token_hint: tokens.id_token! }).href));
    expect(done.status).to.equal(200);
    expect(done.html).to.include('You are signed out');
  });
});
