/**
 * Starts the demo EHR modules side by side, each linking to the others, so one sign-in can be seen
 * serving them all (SSO) and one sign-out ending them all (back-channel logout).
 */
import { startDemoModule, type DemoModule, type Peer } from './module-app.js';

export { startDemoModule, type DemoModule, type DemoModuleOptions, type Peer } from './module-app.js';

export interface DemoClient {
  name: string;
  title: string;
  clientId: string;
  clientSecret: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  publicUrl?: string;
}

export interface DemoModules {
  modules: Array<DemoModule & { name: string; title: string }>;
  close(): Promise<void>;
}

export interface StartDemoModulesOptions {
  issuer: string;
  clients: DemoClient[];
  now?: () => number;
  /** Called for a module that cannot listen (e.g. its port is taken); the others start. Absent: it throws. */
  onUnavailable?: (client: DemoClient, error: NodeJS.ErrnoException) => void;
}

export async function startDemoModules(o: StartDemoModulesOptions): Promise<DemoModules> {
  const modules: DemoModules['modules'] = [];
  const close = async () => {
    await Promise.all(modules.map((module) => module.close()));
  };
  try {
    for (const c of o.clients) {
      // Peers are read at render time: a module started later still appears in the earlier one's links.
      const peers = (): Peer[] => modules.filter((other) => other.name !== c.name).map(({ title, url }) => ({ title, url }));
      let module: DemoModule;
      try {
        module = await startDemoModule({ ...c, issuer: o.issuer, peers, ...(o.now ? { now: o.now } : {}) });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (!o.onUnavailable || (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL')) throw error;
        o.onUnavailable(c, error as NodeJS.ErrnoException);
        continue;
      }
      modules.push({ ...module, name: c.name, title: c.title });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { modules, close };
}
