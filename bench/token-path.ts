/**
 * What one token request costs, independent of machine load: the store commands it sends (counted
 * with the driver's command monitoring, one request at a time, so every command in the window
 * belongs to it) and the CPU time per request (process.cpuUsage over a sequential loop, in this one
 * process: client, server and embedded store), ours beside the bare oidc-provider. Not a test.
 *   npx tsx bench/token-path.ts [requests per kind = 200]
 */
import type { Collection, CommandStartedEvent } from 'mongodb';
import { Browser } from '../test/helpers/browser.js';
import { relyingParty, signIn, type RelyingParty } from '../test/helpers/rp.js';
import { startServer } from '../test/helpers/server.js';
import { storeUnderTest } from '../test/helpers/store.js';
import { startBareProvider } from './bare-app.js';
import { BENCH_CLIENT, BENCH_PASSWORD, BENCH_REDIRECT, BENCH_SERVICE_CLIENT, type ServiceClient } from './fixtures.js';
import { clientCredentials, exchangeCode, issueCode, issueRefreshToken, relyingPartyAt, tokenRequest, type IssuedCode } from './flows.js';
import { describeCommand } from './commands.js';
import { round } from './load.js';

const REQUESTS = Number(process.argv[2] ?? 200);

interface Kind {
  name: string;
  /** Prepares `count` requests (codes, refresh chains), then returns the request to time. */
  prepare(count: number): Promise<(i: number) => Promise<unknown>>;
}

function kinds(rp: RelyingParty, browser: Browser, service: ServiceClient): Kind[] {
  return [
    {
      name: 'code exchange',
      async prepare(count) {
        const codes: IssuedCode[] = [];
        for (let i = 0; i < count; i++) codes.push(await issueCode(browser, rp));
        return (i) => exchangeCode(rp, codes[i]!);
      },
    },
    {
      name: 'refresh rotation',
      async prepare() {
        let refreshToken = await issueRefreshToken(browser, rp);
        return async () => {
          refreshToken = String((await tokenRequest(rp, { grant_type: 'refresh_token', refresh_token: refreshToken })).refresh_token);
        };
      },
    },
    {
      name: 'client credentials',
      async prepare() {
        return () => clientCredentials(rp, service);
      },
    },
  ];
}

/** Microseconds of CPU (user + system) per request over `count` sequential requests. */
async function cpuPerRequest(kind: Kind, count: number): Promise<number> {
  const run = await kind.prepare(count);
  await run(0); // warm-up (a code is single-use: prepare issued one spare)
  const before = process.cpuUsage();
  for (let i = 1; i < count; i++) await run(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / (count - 1);
}

/** CPU and wall time of one store round trip as the adapter makes them: a find and a replace by `_id`. */
async function roundTrip(records: Collection<{ _id: string; payload: string }>, count: number) {
  const doc = { _id: 'RoundTrip:probe', payload: JSON.stringify({ jti: 'probe', kind: 'AccessToken', exp: 0, scope: 'openid' }) };
  await records.replaceOne({ _id: doc._id }, doc, { upsert: true });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    await records.findOne({ _id: doc._id });
    await records.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }
  const used = process.cpuUsage(cpu);
  await records.deleteOne({ _id: doc._id });
  return { cpuMicros: Math.round((used.user + used.system) / (2 * count)), wallMs: round((performance.now() - t0) / (2 * count), 3) };
}

const store = await storeUnderTest();
const server = await startServer({ store: { ...store, uri: `${store.uri}${store.uri.includes('?') ? '&' : '?'}monitorCommands=true` } });
const bare = await startBareProvider();
try {
  const practice = await server.createPractice({ name: 'Token path', mfaPolicy: 'off' });
  const user = await server.createUser({ email: 'token-path@bench.test', password: BENCH_PASSWORD, practiceId: practice._id });
  await server.createClient({ clientId: BENCH_CLIENT, authMethod: 'none', firstParty: true, redirectUris: [BENCH_REDIRECT] });
  const { clientSecret } = await server.createClient({ clientId: BENCH_SERVICE_CLIENT, redirectUris: [], serviceAccess: true });
  const rp = await relyingParty(server, BENCH_CLIENT);
  const browser = new Browser();
  await signIn(browser, rp, user.email, BENCH_PASSWORD);
  const ours = kinds(rp, browser, { clientId: BENCH_SERVICE_CLIENT, clientSecret: clientSecret! });

  const bareRp = await relyingPartyAt(bare.issuer, BENCH_CLIENT, BENCH_REDIRECT);
  const bareBrowser = new Browser();
  await issueCode(bareBrowser, bareRp); // the bare provider's interaction signs in at once
  const baseline = kinds(bareRp, bareBrowser, bare.service);

  // Store commands of one request of each kind.
  let log: string[] | undefined;
  server.connection.getClient().on('commandStarted', (event: CommandStartedEvent) => log?.push(describeCommand(event)));
  const operations: Record<string, string[]> = {};
  for (const kind of ours) {
    const run = await kind.prepare(2);
    await run(0);
    log = [];
    await run(1);
    operations[kind.name] = log;
    log = undefined;
  }

  const rows = [];
  for (const [i, kind] of ours.entries()) {
    const oursMicros = await cpuPerRequest(kind, REQUESTS);
    const bareMicros = await cpuPerRequest(baseline[i]!, REQUESTS);
    rows.push({
      'token request': kind.name,
      'store commands': operations[kind.name]!.length,
      'ours CPU µs': Math.round(oursMicros),
      'bare CPU µs': Math.round(bareMicros),
      'bare/ours (CPU-bound ceiling)': round(bareMicros / oursMicros, 2),
    });
  }
  const trip = await roundTrip(server.models.OidcRecord.collection as unknown as Collection<{ _id: string; payload: string }>, REQUESTS * 5);
  console.log(`node ${process.version}, ${REQUESTS} sequential requests per kind, client + server + store in this process`);
  console.table(rows);
  console.log(`one store round trip (find or replace by _id, embedded store on loopback): ${trip.cpuMicros} µs CPU, ${trip.wallMs} ms wall`);
  for (const [name, list] of Object.entries(operations)) console.log(`\n${name}: ${list.length} store commands\n  ${list.join('\n  ')}`);
  console.log(`\nJSON ${JSON.stringify({ requests: REQUESTS, rows, roundTrip: trip, operations })}`);
} finally {
  await bare.close();
  await server.close();
  await store.close();
}
