// Every error page a person meets says what happened in plain words, offers a next step, and folds
// the protocol's words (error code, the provider's description) under "Technical details".
import { expect } from 'chai';
import { startServer, type TestServer } from '../../helpers/server.js';

describe('error pages: plain words, a next step, technical detail folded', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(() => server.close());

  const page = async (path: string) => {
    const res = await fetch(server.url(path), { headers: { accept: 'text/html' }, redirect: 'manual' });
    return { status: res.status, html: await res.text() };
  };

  it('an unknown application: explained, a way back, the protocol text only as technical detail', async () => {
    const { status, html } = await page('/auth?client_id=no-such-app&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fapp.example%2Fcb');
    expect(status).to.equal(400);
    expect(html).to.include('This application is not recognised').and.include('is not registered with this sign-in service');
    expect(html).to.include('Go back to the application you came from');
    const technical = html.slice(html.indexOf('<details'));
    expect(technical).to.include('Technical details').and.include('invalid_client').and.include('client is invalid');
    expect(html.slice(0, html.indexOf('<details'))).not.to.include('client is invalid');
  });

  it('a missing page: a link to the account page', async () => {
    const { status, html } = await page('/no-such-page');
    expect(status).to.equal(404);
    expect(html).to.include('Page not found').and.include('href="/account"');
  });

  it('after a password is set, whatever the route in, a link on to sign in', async () => {
    const changed = await page('/password-reset/done');
    expect(changed.html).to.include('Your password was changed').and.include('href="/account"');
    const invited = await page('/password-reset/done?invited=1');
    expect(invited.html).to.include('Your password is set').and.include('Continue to sign in');
  });
});
