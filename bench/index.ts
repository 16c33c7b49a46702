// `npm run bench`: our provider on the embedded store in memory, ours on a data directory (journal,
// fsync, compaction, TTL monitor) and a bare oidc-provider, each in a child process, driven over
// loopback HTTP from this one in alternating rounds (so a load shift on the shared machine hits
// every side alike); then ours with 100,000 users on a data directory. Prints one table and writes
// bench/results/<timestamp>.json (or BENCH_OUT).
//   BENCH_SCALE (default 1: counts and time caps over all rounds), BENCH_ROUNDS (default 2),
//   BENCH_CONCURRENCY (default 8), BENCH_USERS, BENCH_SESSIONS (default 10000), BENCH_HASHES
//   (default 5), BENCH_BIG_USERS (default 100000; 0 skips that row); MONGODB_URI runs ours on MongoDB.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { loadConfig } from '../src/config/index.js';
import { startMailCatcher } from '../test/helpers/mail-catcher.js';
import { measureArgon2 } from './argon2.js';
import { startChild, type BenchChild } from './child.js';
import type { ServiceClient } from './fixtures.js';
import { relyingPartyAt } from './flows.js';
import { mergeRounds, type LoadResult } from './load.js';
import { printReport, type Side } from './report.js';
import { bareLogin, emailCodeRuns, endpointRuns, ourLogin, passkeyRuns, signInRuns, type Knobs } from './scenarios.js';
import type { OurServerInfo } from './server.js';

const knobs: Knobs = { scale: Number(process.env.BENCH_SCALE ?? 1), concurrency: Number(process.env.BENCH_CONCURRENCY ?? 8) };
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const BIG_USERS = Number(process.env.BENCH_BIG_USERS ?? 100_000);
const started = Date.now();
const load = () => loadavg().map((value) => Math.round(value * 10) / 10);
const loadAtStart = load();

// Alone on the machine first: the floor every password sign-in pays.
const argon2 = await measureArgon2(loadConfig({ env: { NODE_ENV: 'test' } }).argon2, Number(process.env.BENCH_HASHES ?? 5));

type BareInfo = { issuer: string; clientId: string; redirectUri: string; service: ServiceClient; rssAtRestMiB: number };
type Memory = { rssMiB: number; heapUsedMiB: number; dataDirMiB: number };
interface Runner {
  name: string;
  child: BenchChild<OurServerInfo> | BenchChild<BareInfo>;
  /** One round of this side's runs, at `k`. */
  round(k: Knobs): Promise<Record<string, LoadResult>>;
}

const mail = await startMailCatcher();
const children: BenchChild<unknown>[] = [];
async function ours(store: 'memory' | 'data-dir', extraUsers = 0): Promise<{ child: BenchChild<OurServerInfo>; round: Runner['round'] }> {
  const child = await startChild<OurServerInfo>('bench/server.ts', { SMTP_URL: mail.url, BENCH_STORE: store, BENCH_EXTRA_USERS: String(extraUsers) });
  children.push(child);
  const { info } = child;
  const rp = await relyingPartyAt(info.issuer, info.clientId, info.redirectUri);
  const cpu = async () => (await child.ask<{ cpuMicros: number }>({ cmd: 'cpu' })).cpuMicros;
  return {
    child,
    round: async (k) => ({
      ...(await signInRuns({ ...k, cpu }, rp, info.passwordUsers, info.password)),
      ...(extraUsers ? {} : await emailCodeRuns({ ...k, cpu }, rp, info.emailCodeUsers, info.password, mail)),
      ...(extraUsers ? {} : await passkeyRuns({ ...k, cpu }, rp, info.issuer, info.passkeys, async (on) => void (await child.ask({ cmd: 'passwordless', on })))),
      ...(extraUsers ? {} : await endpointRuns({ ...k, cpu }, rp, info.service, ourLogin(rp, info.passwordUsers[0]!, info.password))),
    }),
  };
}

try {
  const memory = await ours('memory');
  const durable = await ours('data-dir');
  const bareChild = await startChild<BareInfo>('bench/bare-provider.ts');
  children.push(bareChild);
  const bareRp = await relyingPartyAt(bareChild.info.issuer, bareChild.info.clientId, bareChild.info.redirectUri);
  const bareCpu = async () => (await bareChild.ask<{ cpuMicros: number }>({ cmd: 'cpu' })).cpuMicros;
  const runners: Runner[] = [
    { name: 'ours, memory', ...memory },
    { name: 'ours, data directory', ...durable },
    { name: 'bare', child: bareChild, round: (k) => endpointRuns({ ...k, cpu: bareCpu }, bareRp, bareChild.info.service, bareLogin(bareRp)) },
  ];

  // Alternating rounds: each side runs its whole set once per round, the order rotating per round.
  const perSide = new Map<string, Record<string, LoadResult[]>>(runners.map((r) => [r.name, {}]));
  const roundKnobs: Knobs = { ...knobs, scale: knobs.scale / ROUNDS };
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < runners.length; i++) {
      const runner = runners[(i + r) % runners.length]!;
      console.error(`round ${r + 1}/${ROUNDS}: ${runner.name}`);
      for (const [name, result] of Object.entries(await runner.round(roundKnobs))) (perSide.get(runner.name)![name] ??= []).push(result);
    }
  }
  const merged = (name: string) => Object.fromEntries(Object.entries(perSide.get(name)!).map(([run, rounds]) => [run, mergeRounds(rounds)]));

  const sides: Record<string, Side> = {};
  for (const [runner, child] of [['ours, memory', memory.child], ['ours, data directory', durable.child]] as const) {
    const afterLoad = await child.ask<Memory>({ cmd: 'memory' });
    const sessions = await child.ask<{ rssMiB: number; inserted: number; ms: number }>({ cmd: 'sessions', count: SESSIONS });
    const withSessions = await child.ask<Memory>({ cmd: 'memory' });
    sides[runner] = {
      store: child.info.store, users: child.info.users, runs: merged(runner),
      memory: { rssAtRestMiB: child.info.rssAtRestMiB, rssAfterLoadMiB: afterLoad.rssMiB, heapUsedAfterLoadMiB: afterLoad.heapUsedMiB, dataDirAfterLoadMiB: afterLoad.dataDirMiB, sessionsSaved: sessions.inserted, sessionsSaveMs: sessions.ms, rssWithSessionsMiB: withSessions.rssMiB, heapUsedWithSessionsMiB: withSessions.heapUsedMiB, dataDirWithSessionsMiB: withSessions.dataDirMiB },
    };
  }
  const bareMemory = await bareChild.ask<{ rssMiB: number }>({ cmd: 'rss' });
  sides.bare = { store: 'in-memory adapter (oidc-provider default)', users: 0, runs: merged('bare'), memory: { rssAtRestMiB: bareChild.info.rssAtRestMiB, rssAfterLoadMiB: bareMemory.rssMiB } };
  const loadAfterRounds = load();
  await Promise.all(children.splice(0).map((child) => child.stop()));

  // Sign-in at 100k users: its own server on a data directory, the others stopped.
  if (BIG_USERS) {
    const t0 = performance.now();
    const big = await ours('data-dir', BIG_USERS);
    const startSeconds = Math.round((performance.now() - t0) / 100) / 10;
    const runs = await big.round(knobs);
    const mem = await big.child.ask<Memory>({ cmd: 'memory' });
    sides[`ours, data directory, ${big.child.info.users} users`] = {
      store: big.child.info.store, users: big.child.info.users, runs,
      memory: { startAndBulkLoadSeconds: startSeconds, rssAfterLoadMiB: mem.rssMiB, heapUsedAfterLoadMiB: mem.heapUsedMiB, dataDirAfterLoadMiB: mem.dataDirMiB },
    };
  }

  const report = {
    at: new Date(started).toISOString(),
    command: `BENCH_SCALE=${knobs.scale} BENCH_ROUNDS=${ROUNDS} BENCH_HASHES=${argon2.hashes} BENCH_BIG_USERS=${BIG_USERS} npm run bench`,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cores: availableParallelism(),
    loadAverage: { atStart: loadAtStart, afterRounds: loadAfterRounds, atEnd: load() },
    knobs,
    rounds: ROUNDS,
    argon2,
    sides,
    totalSeconds: Math.round((Date.now() - started) / 1000),
  };
  mkdirSync('bench/results', { recursive: true });
  const file = process.env.BENCH_OUT ?? `bench/results/${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report);
  console.log(`\nJSON: ${file}`);
} finally {
  await Promise.all([...children.map((child) => child.stop()), mail.stop()]);
}
