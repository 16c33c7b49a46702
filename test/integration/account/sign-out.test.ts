// "Sign out everywhere" through HTTP: every session of the user ends (this browser's too), a
// module's refresh token is refused afterwards, the module is told by back-channel logout, and the
// action is audited and emailed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { exchange, relyingParty, startAuthorization, submitLogin, untilCallback } from '../../helpers/rp.js';
import { auditOf, openSignedIn, PASSWORD, postForm, throughCode } from './bench.js';

const REDIRECT = 'http://127.0.0.1:4/callback';

describe('account: sign out everywhere', function () {
  this.timeout(30_000);
  let bench: MfaBench;
  let receiver: Server;
  const logoutTokens: string[] = [];

  before(async () => {
    bench = await startMfaBench();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        logoutTokens.push(new URLSearchParams(body).get('logout_token') ?? '');
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await bench.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('ends this and every other session, revokes refresh tokens and tells the module', async () => {
    const user = await bench.server.createUser({ password: PASSWORD });
    const { port } = receiver.address() as AddressInfo;
    const { client, clientSecret } = await bench.server.createClient({
      redirectUris: [REDIRECT], firstParty: true, backchannelLogoutUri: `http://127.0.0.1:${port}/backchannel`,
    });
    const rp = await relyingParty(bench.server, client._id, clientSecret, REDIRECT);

    // The module signs in at the desk (with a code: a new device) and holds a refresh token.
    const desk = new Browser();
    const start = await startAuthorization(rp, { scope: 'openid offline_access', prompt: 'consent' });
    const login = await desk.follow(await desk.get(start.url.href), REDIRECT);
    const { page } = await throughCode(bench, desk, await submitLogin(desk, login, user.email, PASSWORD), user.email, REDIRECT);
    const tokens = await exchange(rp, start, await untilCallback(desk, rp, page));
    expect(tokens.refresh_token).to.be.a('string');

    // Another browser opens the settings and signs out everywhere.
    const laptop = new Browser();
    const overview = await openSignedIn(bench, laptop, user);
    const done = await postForm(bench, laptop, overview, '/account/sign-out-everywhere');
    expect(done.status).to.equal(200);
    expect(done.html).to.contain('Every sign-in of your account has ended');

    // Both browsers must sign in again; the module's refresh token is dead and the module was told.
    for (const browser of [laptop, desk]) {
      const again = await browser.follow(await browser.get(bench.server.url('/account')));
      expect(again.html).to.contain('autocomplete="current-password"');
    }
    const refresh = await fetch(bench.server.url('/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client._id}:${clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }),
    });
    expect(refresh.status).to.equal(400);
    expect(await refresh.json()).to.include({ error: 'invalid_grant' });
    expect(logoutTokens).to.have.length(1);
    const claims = JSON.parse(Buffer.from(logoutTokens[0]!.split('.')[1]!, 'base64url').toString()) as { sub: string };
    expect(claims.sub).to.equal(user.sub);

    const [entry] = await auditOf(bench, user, 'session.ended_everywhere');
    expect(entry).to.include({ outcome: 'success' });
    expect(entry?.details).to.include({ sessionsEnded: 2, modulesNotified: 1 });
    await bench.mail.waitFor((mail) => mail.to.includes(user.email) && mail.subject === 'You were signed out everywhere');
  });
});
