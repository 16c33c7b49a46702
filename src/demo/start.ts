// The development demo beside a running provider: seed the demo practice and clients, start the
// charting and billing modules in this process, print where to go. Never in production (the config
// refuses DEMO there and the seed refuses it again).
import type { Config } from '../config/index.js';
import type { IdpApp } from '../http/app.js';
import { startDemoModules, type DemoModules } from './index.js';
import { DEMO_MODULES, ensureDemoData, printDemoBanner } from './seed.js';

export async function startDemo(config: Config, idp: IdpApp, logger: { info(message: string): void }): Promise<DemoModules> {
  const data = await ensureDemoData({ models: idp.models, accounts: idp.accounts, logger, nodeEnv: config.nodeEnv });
  const modules = await startDemoModules({
    issuer: config.issuer,
    clients: (['charting', 'billing'] as const).map((name) => ({
      name,
      title: name === 'charting' ? 'Charting' : 'Billing',
      clientId: data.clients[name].clientId,
      clientSecret: data.clients[name].clientSecret,
      port: DEMO_MODULES[name].defaultPort,
      host: '127.0.0.1',
      publicUrl: `http://localhost:${DEMO_MODULES[name].defaultPort}`,
    })),
  });
  const url = (name: string) => modules.modules.find((module) => module.name === name)?.url ?? '';
  printDemoBanner(data, { provider: config.issuer, charting: url('charting'), billing: url('billing') });
  return modules;
}
