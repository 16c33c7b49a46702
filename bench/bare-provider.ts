// The baseline for `npm run bench` in its own process (see bare-app.ts). Prints one `@bench {json}`
// line, then answers {"cmd":"rss"} and {"cmd":"cpu"}.
import { startBareProvider } from './bare-app.js';
import { residentMiB, serveCommands } from './child.js';
import { BENCH_CLIENT, BENCH_REDIRECT } from './fixtures.js';
import { cpuSoFar } from './load.js';

const bare = await startBareProvider();
serveCommands({ issuer: bare.issuer, clientId: BENCH_CLIENT, redirectUri: BENCH_REDIRECT, service: bare.service, rssAtRestMiB: residentMiB() }, async (command) => {
  if (command.cmd === 'rss') return { rssMiB: residentMiB() };
  if (command.cmd === 'cpu') return cpuSoFar();
  throw new Error(`unknown command ${String(command.cmd)}`);
});
process.once('SIGTERM', () => bare.close().then(() => process.exit(0)));
