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

export async function startDemoModules(o: { issuer: string; clients: DemoClient[]; now?: () => number }): Promise<DemoModules> {
  const modules: DemoModules['modules'] = [];
  const close = async () => {
    await Promise.all(modules.map((module) => module.close()));
  };
  try {
    for (const c of o.clients) {
      // Peers are read at render time: a module started later still appears in the earlier one's links.
      const peers = (): Peer[] => modules.filter((other) => other.name !== c.name).map(({ title, url }) => ({ title, url }));
      const module = await startDemoModule({ ...c, issuer: o.issuer, peers, ...(o.now ? { now: o.now } : {}) });
      modules.push({ ...module, name: c.name, title: c.title });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { modules, close };
}
