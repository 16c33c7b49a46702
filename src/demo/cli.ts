/**
 * Runs the two demo EHR modules on their own (docker compose profile "demo"):
 *   tsx src/demo/cli.ts
 * Reads ISSUER, DEMO_{CHARTING,BILLING}_{CLIENT_ID,CLIENT_SECRET,PORT,PUBLIC_URL} and DEMO_HOST.
 */
import { startDemoModules, type DemoClient } from './index.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required (see .env.example)`);
  return value;
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
}

function client(name: string, title: string, defaultPort: number): DemoClient {
  const prefix = `DEMO_${name.toUpperCase()}`;
  const listenPort = port(`${prefix}_PORT`, defaultPort);
  return {
    name,
    title,
    clientId: required(`${prefix}_CLIENT_ID`),
    clientSecret: required(`${prefix}_CLIENT_SECRET`),
    port: listenPort,
    host: process.env.DEMO_HOST || '127.0.0.1',
    // Default: the address `npm start` registers the demo clients with (localhost, not 127.0.0.1),
    // so the redirect URI this module sends matches its registration.
    publicUrl: process.env[`${prefix}_PUBLIC_URL`] || `http://localhost:${listenPort}`,
  };
}

async function main(): Promise<void> {
  const demo = await startDemoModules({
    issuer: required('ISSUER'),
    clients: [client('charting', 'Charting', 3001), client('billing', 'Billing', 3002)],
  });
  for (const m of demo.modules) console.log(`${m.title}: ${m.url}`);
  const stop = () => {
    demo.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
