/**
 * `npm start`'s demo against a real provider and store: the module ports come from the
 * configuration and the seed registers exactly those addresses; a module whose port is taken is a
 * warning with the way out, and the provider and the other module keep running.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { startDemo } from '../../../src/demo/start.js';
import type { DemoModules } from '../../../src/demo/index.js';
import { startServer, type TestServer } from '../../helpers/server.js';

async function listenAnywhere(): Promise<Server> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

async function freePort(): Promise<number> {
  const server = await listenAnywhere();
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('demo start: configured ports and a busy port', () => {
  let idp: TestServer;
  let busy: Server;
  let demo: DemoModules | undefined;
  const warnings: string[] = [];
  const banner: string[] = [];
  let busyPort: number;
  let billingPort: number;
  let smartAppPort: number;
  let busyApp: Server;

  before(async () => {
    idp = await startServer();
    busy = await listenAnywhere();
    busyPort = (busy.address() as AddressInfo).port;
    billingPort = await freePort();
    busyApp = await listenAnywhere();
    smartAppPort = (busyApp.address() as AddressInfo).port;
    const config = { ...idp.config, nodeEnv: 'development' as const, demoPorts: { charting: busyPort, billing: billingPort, smartApp: smartAppPort } };
    const logger = { info() {}, warn: (message: string) => void warnings.push(message), error() {} };
    demo = await startDemo(config, idp.idp, logger, (line) => banner.push(line));
  });

  after(async () => {
    await demo?.close();
    busy.close();
    busyApp.close();
    await idp.close();
  });

  it('registers each module at the configured port', async () => {
    const charting = await idp.models.Client.findById('demo-charting').lean();
    const billing = await idp.models.Client.findById('demo-billing').lean();
    expect(charting?.redirectUris).to.deep.equal([`http://localhost:${busyPort}/callback`]);
    expect(billing?.redirectUris).to.deep.equal([`http://localhost:${billingPort}/callback`]);
  });

  it('warns about the busy port, naming the setting that moves it, and starts the other module', async () => {
    expect(warnings).to.have.length(2);
    expect(warnings[0]).to.include(`port ${smartAppPort} is in use`).and.include('DEMO_SMART_APP_PORT=');
    expect(warnings[1]).to.include(`port ${busyPort} is in use`).and.include('DEMO_CHARTING_PORT=');
    expect(demo!.modules.map((module) => module.name)).to.deep.equal(['billing']);
    const home = await fetch(`http://localhost:${billingPort}/`);
    expect(home.status).to.equal(200);
    expect(banner.join('\n')).to.include(`Billing module     http://localhost:${billingPort}`).and.include('Charting module    (not started')
      .and.include('SMART app (demo)   (not started');
  });

  it('keeps the provider serving', async () => {
    const discovery = await fetch(idp.url('/.well-known/openid-configuration'));
    expect(discovery.status).to.equal(200);
  });
});
