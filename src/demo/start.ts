// The development demo beside a running provider: seed the demo practice and clients, start the
// charting and billing modules in this process, print where to go. Never in production (the config
// refuses DEMO there and the seed refuses it again). The modules are a convenience: one that cannot
// listen (its port is taken) is reported with the way out, and the provider keeps running.
import type { Config } from '../config/index.js';
import type { AccountService } from '../accounts/service.js';
import type { Logger } from '../observability/logger.js';
import type { Models } from '../store/models/index.js';
import { startDemoModules, type DemoModules } from './index.js';
import { DEMO_MODULES, ensureDemoData, printDemoBanner } from './seed.js';

/** What the demo needs from the running provider. */
export interface DemoDeps {
  models: Models;
  accounts: AccountService;
}

const PORT_KEYS = { charting: 'DEMO_CHARTING_PORT', billing: 'DEMO_BILLING_PORT' } as const;

/** `write` prints the banner (default: the console, for the person who ran `npm start`). */
export async function startDemo(config: Config, idp: DemoDeps, logger: Logger, write: (line: string) => void = console.log): Promise<DemoModules> {
  const ports = config.demoPorts;
  const data = await ensureDemoData({ models: idp.models, accounts: idp.accounts, logger, nodeEnv: config.nodeEnv, ports });
  const modules = await startDemoModules({
    issuer: config.issuer,
    clients: (['charting', 'billing'] as const).map((name) => ({
      name,
      title: name === 'charting' ? 'Charting' : 'Billing',
      clientId: data.clients[name].clientId,
      clientSecret: data.clients[name].clientSecret,
      port: ports[name],
      host: '127.0.0.1',
      // The address the seed registered as this module's redirect URI.
      publicUrl: `http://localhost:${ports[name]}`,
    })),
    onUnavailable: (client, error) => {
      const key = PORT_KEYS[client.name as keyof typeof PORT_KEYS];
      logger.warn(`demo: the ${DEMO_MODULES[client.name as keyof typeof DEMO_MODULES]?.name ?? client.name} module did not start: port ${client.port} is ${error.code === 'EADDRINUSE' ? 'in use by another program' : `not available (${error.code ?? error.message})`}. ` +
        `The provider runs on; to get the module, stop that program or start with ${key}=<free port>.`);
    },
  });
  const url = (name: string) => modules.modules.find((module) => module.name === name)?.url ?? '(not started: see the warning above)';
  printDemoBanner(data, { provider: config.issuer, charting: url('charting'), billing: url('billing') }, write);
  return modules;
}
