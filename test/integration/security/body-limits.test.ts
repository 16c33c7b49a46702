// Oversized bodies get a clear 413 before anything reads them: our forms (16 KiB) with a friendly
// page, the provider's endpoints (56 KiB, declared by Content-Length) with a JSON error.
import { expect } from 'chai';
import { request } from 'node:http';
import { Browser, field, formAction } from '../../helpers/browser.js';
import { relyingParty, startAuthorization } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

describe('security: request body limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: ['http://127.0.0.1:4/callback'] });
  });
  after(() => server.close());

  it('a login form over 16 KiB: 413 with a friendly page', async () => {
    const browser = new Browser();
    const rp = await relyingParty(server, 'charting');
    const login = await browser.follow(await browser.get((await startAuthorization(rp)).url.href), rp.redirectUri);
    const page = await browser.post(formAction(login, '/login'), { _csrf: field(login.html, '_csrf'), email: 'a@clinic.test', password: 'x'.repeat(17 * 1024) });
    expect(page.status).to.equal(413);
    expect(page.html).to.include('This form is too large.');
  });

  for (const type of ['application/x-www-form-urlencoded', 'application/json']) {
    it(`POST /token with a ${type} body over 56 KiB: 413 JSON`, async () => {
      const body = type === 'application/json' ? JSON.stringify({ grant_type: 'x'.repeat(60 * 1024) }) : `grant_type=${'x'.repeat(60 * 1024)}`;
      const res = await fetch(server.url('/token'), { method: 'POST', headers: { 'content-type': type }, body });
      expect(res.status).to.equal(413);
      expect(await res.json()).to.deep.include({ error: 'invalid_request', error_description: 'The request is too large.' });
    });
  }

  it('a Content-Length that promises too much is refused before the body is sent', async () => {
    const url = new URL(server.url('/token/introspection'));
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('{');
    });
    expect(status).to.equal(413);
  });

  it('a body under the limit still reaches the provider (its own 400, not ours)', async () => {
    const res = await fetch(server.url('/token'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=nope' });
    expect(res.status).to.equal(400);
    expect((await res.json() as { error: string }).error).to.not.equal('server_error');
  });
});
