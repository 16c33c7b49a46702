// /healthz says the process answers (asks nothing else); /readyz says the store answers and the
// signing keys are loaded. Neither says more than ok / unavailable.
import { expect } from 'chai';
import { startServer, type TestServer } from '../../helpers/server.js';

describe('health and readiness', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(() => server.close());

  for (const path of ['/healthz', '/readyz']) {
    it(`${path} answers 200 ok while the store answers`, async () => {
      const response = await fetch(server.url(path));
      expect(response.status).to.equal(200);
      expect(response.headers.get('cache-control')).to.equal('no-store');
      expect(await response.json()).to.deep.equal({ status: 'ok' });
    });

    it(`${path} refuses other methods`, async () => {
      const response = await fetch(server.url(path), { method: 'POST' });
      expect(response.status).to.equal(405);
      expect(response.headers.get('allow')).to.equal('GET, HEAD');
    });
  }

  it('when the store is gone: /readyz answers 503 unavailable, /healthz still 200', async () => {
    await server.connection.close();
    const ready = await fetch(server.url('/readyz'));
    expect(ready.status).to.equal(503);
    expect(await ready.json()).to.deep.equal({ status: 'unavailable' });
    const live = await fetch(server.url('/healthz'));
    expect(live.status).to.equal(200);
  });
});
