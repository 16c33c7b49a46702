// The console gate: /account sends an unsigned browser through the console client's authorization
// request and back; an existing session passes straight through; ending the user's sessions sends
// the browser through sign-in again and revokes module tokens with a back-channel logout.
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { relyingParty, signIn, submitLogin } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { CONSOLE_CLIENT_ID } from '../../../src/console/client.js';
import { endUserSessions } from '../../../src/sessions/end-sessions.js';

describe('console sign-in gate', () => {
  let server: TestServer;
  const password = 'Quiet-Harbor-Lantern-0123!';

  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('signs in through the console client and returns to the page asked for', async () => {
    const user = await server.createUser({ password });
    const browser = new Browser();
    const start = await browser.get(server.url('/account/?tab=1'));
    expect(start.status).to.equal(303);
    const auth = new URL(start.location!);
    expect(auth.pathname).to.equal('/auth');
    expect(auth.searchParams.get('client_id')).to.equal(CONSOLE_CLIENT_ID);
    expect(auth.searchParams.get('response_type')).to.equal('none');

    const login = await browser.follow(start);
    expect(login.html).to.contain('name="password"');
    const back = await browser.follow(await submitLogin(browser, login, user.email, password), server.url('/account/'));
    expect(back.location).to.equal(server.url('/account/?tab=1'));
    const page = await browser.follow(back);
    expect(page.status).to.equal(200);
    expect(page.html).to.contain(user.email);
  });

  it('refuses a return without the state it sent', async () => {
    const page = await new Browser().get(server.url('/console/return?state=forged'));
    expect(page.status).to.equal(400);
    expect(page.html).to.contain('expired');
  });

  it('ending a user\'s sessions signs the browser out and revokes module refresh tokens', async () => {
    const user = await server.createUser({ password });
    const { client, clientSecret } = await server.createClient({ redirectUris: ['http://127.0.0.1:4/callback'], firstParty: true });
    const clientId = client._id;
    const rp = await relyingParty(server, clientId, clientSecret);
    const browser = new Browser();
    const { tokens } = await signIn(browser, rp, user.email, password, { scope: 'openid offline_access', prompt: 'consent' });
    expect(tokens.refresh_token).to.be.a('string');
    expect((await browser.follow(await browser.get(server.url('/account/')))).status).to.equal(200);

    const ended = await endUserSessions(server.provider, server.models, user.sub);
    expect(ended).to.include({ sessions: 1 });
    expect(ended.grants).to.be.at.least(1);

    expect((await browser.get(server.url('/account/'))).status).to.equal(303);
    const refresh = await fetch(server.url('/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }),
    });
    expect(refresh.status).to.equal(400);
    expect(await refresh.json()).to.include({ error: 'invalid_grant' });
  });
});
