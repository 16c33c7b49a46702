// The development demo beside a running provider: seed the demo practice and clients, start the
// charting and billing modules and the demo SMART app in this process, print where to go. Never in production (the config
// refuses DEMO there and the seed refuses it again). The modules are a convenience: one that cannot
// listen (its port is taken) is reported with the way out, and the provider keeps running.
import type { Config } from '../config/index.js';
import type { AccountService } from '../accounts/service.js';
import type { Logger } from '../observability/logger.js';
import type { Models } from '../store/models/index.js';
import { startDemoModules, type DemoModules } from './index.js';
import { DEMO_MODULES, ensureDemoData, printDemoBanner } from './seed.js';
import { startDemoSmartApp, type DemoSmartApp } from './smart-app/app.js';
import { DEMO_SMART_APP, ensureDemoSmart, type DemoSmart } from './smart-seed.js';

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
  const smart = await ensureDemoSmart(idp, ports);
  const smartApp = await startSmartApp(config, smart, logger);
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
      // Charting is the demo EHR: it launches the demo SMART app and serves the patient picker.
      ...(name === 'charting' ? { ehr: {
        issuer: config.issuer, clientSecret: data.clients.charting.clientSecret, practiceId: data.practice.id,
        smartApp: { clientId: smart.smartAppClientId, url: () => smartApp?.url }, fhirBase: smart.fhirBase, picker: smart.picker,
      } } : {}),
    })),
    onUnavailable: (client, error) => {
      const key = PORT_KEYS[client.name as keyof typeof PORT_KEYS];
      logger.warn(`demo: the ${DEMO_MODULES[client.name as keyof typeof DEMO_MODULES]?.name ?? client.name} module did not start: port ${client.port} is ${error.code === 'EADDRINUSE' ? 'in use by another program' : `not available (${error.code ?? error.message})`}. ` +
        `The provider runs on; to get the module, stop that program or start with ${key}=<free port>.`);
    },
  });
  const url = (name: string) => modules.modules.find((module) => module.name === name)?.url ?? '(not started: see the warning above)';
  printDemoBanner(data, { provider: config.issuer, charting: url('charting'), billing: url('billing'), smartApp: smartApp?.url ?? '(not started: see the warning above)' }, write);
  return {
    modules: modules.modules,
    async close() {
      await Promise.all([modules.close(), smartApp?.close()]);
    },
  };
}

/** The demo SMART app; a busy port is a warning with the way out, like the modules'. */
async function startSmartApp(config: Config, smart: DemoSmart, logger: Logger): Promise<DemoSmartApp | undefined> {
  const port = config.demoPorts.smartApp;
  try {
    return await startDemoSmartApp({ issuer: config.issuer, clientId: smart.smartAppClientId, fhirBase: smart.fhirBase, port, host: '127.0.0.1', publicUrl: `http://localhost:${port}` });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
    logger.warn(`demo: the ${DEMO_SMART_APP.name} did not start: port ${port} is ${code === 'EADDRINUSE' ? 'in use by another program' : `not available (${code})`}. ` +
      'The provider runs on; to get the app, stop that program or start with DEMO_SMART_APP_PORT=<free port>.');
    return undefined;
  }
}
