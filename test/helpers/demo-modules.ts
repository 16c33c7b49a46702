/**
 * The demo EHR modules (charting and billing, src/demo/) as relying parties of a test server.
 * A module's URLs exist only once it listens (random ports), and a module needs its secret to
 * start: so register each client first, start the modules, then record the real URIs.
 */
import { startDemoModules, type DemoModules } from '../../src/demo/index.js';
import type { TestServer } from './server.js';

export type DemoModule = DemoModules['modules'][number];

export interface DemoPair {
  demo: DemoModules;
  charting: DemoModule;
  billing: DemoModule;
}

export async function startDemoPair(server: TestServer): Promise<DemoPair> {
  const registered = await Promise.all(['demo-charting', 'demo-billing'].map((clientId) =>
    server.createClient({ clientId, name: clientId, redirectUris: ['http://127.0.0.1/pending'], firstParty: true })));
  const demo = await startDemoModules({
    issuer: server.issuer,
    clients: [
      { name: 'charting', title: 'Charting', clientId: 'demo-charting', clientSecret: registered[0]!.clientSecret!, port: 0 },
      { name: 'billing', title: 'Billing', clientId: 'demo-billing', clientSecret: registered[1]!.clientSecret!, port: 0 },
    ],
  });
  for (const m of demo.modules) {
    await server.models.Client.updateOne({ _id: `demo-${m.name}` }, {
      $set: { redirectUris: [m.redirectUri], postLogoutRedirectUris: [m.postLogoutRedirectUri], backchannelLogoutUri: m.backchannelLogoutUri },
    });
  }
  const [charting, billing] = demo.modules as [DemoModule, DemoModule];
  return { demo, charting, billing };
}
