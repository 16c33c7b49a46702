// /healthz reports ready only while the store answers, and says nothing more than that.
import { expect } from 'chai';
import { startServer, type TestServer } from '../../helpers/server.js';

describe('health check', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(() => server.close());

  it('answers 200 ok while the store answers a ping', async () => {
    const response = await fetch(server.url('/healthz'));
    expect(response.status).to.equal(200);
    expect(response.headers.get('cache-control')).to.equal('no-store');
    expect(await response.json()).to.deep.equal({ status: 'ok' });
  });

  it('refuses other methods', async () => {
    const response = await fetch(server.url('/healthz'), { method: 'POST' });
    expect(response.status).to.equal(405);
  });

  it('answers 503 unavailable when the store is gone', async () => {
    await server.connection.close();
    const response = await fetch(server.url('/healthz'));
    expect(response.status).to.equal(503);
    expect(await response.json()).to.deep.equal({ status: 'unavailable' });
  });
});
