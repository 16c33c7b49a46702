// `npm run bench`: our provider and a bare oidc-provider each in a child process, driven over
// loopback HTTP from this one; prints one table and writes bench/results/<timestamp>.json.
//   BENCH_SCALE (default 1: counts and time caps), BENCH_CONCURRENCY (default 8), BENCH_USERS,
//   BENCH_SESSIONS (default 10000), BENCH_HASHES (default 5); MONGODB_URI runs ours on MongoDB.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { loadConfig } from '../src/config/index.js';
import { startMailCatcher } from '../test/helpers/mail-catcher.js';
import { measureArgon2 } from './argon2.js';
import { startChild } from './child.js';
import type { ServiceClient } from './fixtures.js';
import { relyingPartyAt } from './flows.js';
import type { LoadResult } from './load.js';
import { printReport } from './report.js';
import { bareLogin, emailCodeRuns, endpointRuns, ourLogin, signInRuns, type Knobs } from './scenarios.js';
import type { OurServerInfo } from './server.js';

const knobs: Knobs = { scale: Number(process.env.BENCH_SCALE ?? 1), concurrency: Number(process.env.BENCH_CONCURRENCY ?? 8) };
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const started = Date.now();

// Alone on the machine first: the floor every password sign-in pays.
const argon2 = await measureArgon2(loadConfig({ env: { NODE_ENV: 'test' } }).argon2, Number(process.env.BENCH_HASHES ?? 5));

const mail = await startMailCatcher();
const ours = await startChild<OurServerInfo>('bench/server.ts', { SMTP_URL: mail.url });
const bare = await startChild<{ issuer: string; clientId: string; redirectUri: string; service: ServiceClient; rssAtRestMiB: number }>('bench/bare-provider.ts');
try {
  const info = ours.info;
  const rp = await relyingPartyAt(info.issuer, info.clientId, info.redirectUri);
  const bareRp = await relyingPartyAt(bare.info.issuer, bare.info.clientId, bare.info.redirectUri);
  const cpuOf = (child: typeof ours | typeof bare) => async () => (await child.ask<{ cpuMicros: number }>({ cmd: 'cpu' })).cpuMicros;
  const oursProbed = { ...knobs, cpu: cpuOf(ours) };
  const bareProbed = { ...knobs, cpu: cpuOf(bare) };

  const results: Record<string, LoadResult> = {
    ...(await signInRuns(oursProbed, rp, info.passwordUsers, info.password)),
    ...(await emailCodeRuns(oursProbed, rp, info.emailCodeUsers, info.password, mail)),
  };
  const endpoints = await endpointRuns(oursProbed, rp, info.service, ourLogin(rp, info.passwordUsers[0]!, info.password));
  const bareEndpoints = await endpointRuns(bareProbed, bareRp, bare.info.service, bareLogin(bareRp));

  const afterLoad = await ours.ask<{ rssMiB: number }>({ cmd: 'rss' });
  const sessions = await ours.ask<{ rssMiB: number; inserted: number; ms: number }>({ cmd: 'sessions', count: SESSIONS });
  const bareRss = await bare.ask<{ rssMiB: number }>({ cmd: 'rss' });

  const report = {
    at: new Date(started).toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cores: availableParallelism(),
    store: info.store,
    knobs,
    argon2,
    signIn: results,
    endpoints: { ours: endpoints, bare: bareEndpoints },
    memory: {
      method: `server RSS after a forced GC; ${sessions.inserted} sessions saved through the provider's own Session model and store adapter in the server process (no HTTP), ${sessions.ms} ms; the embedded store runs in the server process, so its memory is included`,
      oursAtRestMiB: info.rssAtRestMiB,
      oursAfterLoadMiB: afterLoad.rssMiB,
      oursWithSessionsMiB: sessions.rssMiB,
      sessions: sessions.inserted,
      bareAtRestMiB: bare.info.rssAtRestMiB,
      bareAfterLoadMiB: bareRss.rssMiB,
    },
    notMeasured: {},
    totalSeconds: Math.round((Date.now() - started) / 1000),
  };
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report);
  console.log(`\nJSON: ${file}`);
} finally {
  await Promise.all([ours.stop(), bare.stop(), mail.stop()]);
}
