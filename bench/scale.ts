/**
 * The embedded store at scale, with a data directory: bulk-loads N users and N live sessions (the
 * application's own models and indexes), then serves a sign-in-like mix while the journal is
 * compacted and an expiry wave is deleted, then restarts. The event-loop delay histogram
 * (perf_hooks.monitorEventLoopDelay) of the process hosting the store shows any stall.
 *   npx tsx bench/scale.ts [users=100000] [--json bench/results/scale.json]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { startEmbeddedStore, type EmbeddedStore } from '../src/store/embedded/index.js';
import { createModels, ensureIndexes, type Models } from '../src/store/models/index.js';

const args = process.argv.slice(2);
const USERS = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 100_000);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
/** `--keep DIR`: build the data directory there and keep it (to profile start-up on it later). */
const keepDir = args.includes('--keep') ? args[args.indexOf('--keep') + 1] : undefined;
/** `--startup-only DIR`: only open an existing data directory and time it. */
const startupOnly = args.includes('--startup-only') ? args[args.indexOf('--startup-only') + 1] : undefined;
/** Documents per insertMany: the driver splits it into commands of 1,000 and the store runs each in slices of 100. */
const BATCH = 10_000;
const MIX_OPERATIONS = 20_000;
const quiet = { info: (msg: string) => void (/compacted|TTL|loaded|replayed/.test(msg) && console.error(`[store] ${msg}`)), warn: (msg: string) => console.error(`[store] ${msg}`), error: (msg: string) => console.error(`[store] ${msg}`) };

interface Phase {
  phase: string; seconds: number; cpuSeconds: number; maxDelayMs: number; p99DelayMs: number; stallsOver100ms: number;
  /** Of those stalls, the ones during which the main thread itself ran ≥ 100 ms, and the most it ran in one. */
  stallsWithMainThreadBusy100ms: number; maxMainThreadCpuInAStallMs: number;
  /** The longest single command (or insert slice) the store ran, and the longest GC pause: what a stall would come from. */
  longestStoreCommandMs: number; longestStoreCommandCpuMs: number; longestCommand: string; maxGcPauseMs: number; loadAverage: number[];
}
const phases: Phase[] = [];
let longest = { ms: 0, name: '', cpuMs: 0 };
const onCommand = (name: string, ms: number, cpuMs: number) => {
  if (ms > longest.ms) longest = { ...longest, ms, name };
  longest.cpuMs = Math.max(longest.cpuMs, cpuMs);
};

/** CPU time of this process's main thread (ms; Linux, 10 ms resolution), from /proc/self/task/<pid>/stat. */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks (USER_HZ = 100)
}

function cpuSecondsSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return +((used.user + used.system) / 1e6).toFixed(2);
}

/** Runs `work` under a fresh event-loop delay histogram (10 ms resolution) and records the phase. */
async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  // Count stalls ourselves as well: the histogram gives the distribution, not the count over 100 ms.
  // For each, how much CPU the main thread itself used meanwhile (Linux: /proc, 10 ms ticks): a
  // stall during which it worked ≥ 100 ms is work on the loop; the rest is waiting for a core.
  let stalls = 0;
  let busyStalls = 0;
  let maxBusyMs = 0;
  let last = performance.now();
  let lastCpu = mainThreadCpuMs();
  const ticker = setInterval(() => {
    const now = performance.now();
    const cpu = mainThreadCpuMs();
    if (now - last > 110) {
      stalls++;
      const busy = cpu - lastCpu;
      maxBusyMs = Math.max(maxBusyMs, busy);
      if (busy >= 100) busyStalls++;
    }
    last = now;
    lastCpu = cpu;
  }, 10);
  let maxGc = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) maxGc = Math.max(maxGc, entry.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  longest = { ms: 0, name: '', cpuMs: 0 };
  histogram.enable();
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    return await work();
  } finally {
    histogram.disable();
    clearInterval(ticker);
    gc.disconnect();
    const row = {
      phase: name,
      seconds: +((performance.now() - started) / 1000).toFixed(2),
      cpuSeconds: cpuSecondsSince(cpu),
      maxDelayMs: +(histogram.max / 1e6).toFixed(1),
      p99DelayMs: +(histogram.percentile(99) / 1e6).toFixed(1),
      stallsOver100ms: stalls,
      stallsWithMainThreadBusy100ms: busyStalls,
      maxMainThreadCpuInAStallMs: maxBusyMs,
      longestStoreCommandMs: +longest.ms.toFixed(1),
      longestStoreCommandCpuMs: +longest.cpuMs.toFixed(1),
      longestCommand: longest.name,
      maxGcPauseMs: +maxGc.toFixed(1),
      loadAverage: loadavg().map((value) => +value.toFixed(1)),
    };
    phases.push(row);
    console.error(JSON.stringify(row));
  }
}

async function open(dataDir: string): Promise<{ store: EmbeddedStore; connection: mongoose.Connection; models: Models }> {
  const store = await startEmbeddedStore({ dataDir, logger: quiet, ttlSweepIntervalMs: 1_000, onCommand });
  const connection = await mongoose.createConnection(store.uriFor('scale'), { autoIndex: false }).asPromise();
  const models = createModels(connection);
  return { store, connection, models };
}

async function inBatches(total: number, make: (i: number) => Record<string, unknown>, insert: (docs: Record<string, unknown>[]) => Promise<unknown>): Promise<void> {
  for (let from = 0; from < total; from += BATCH) {
    await insert(Array.from({ length: Math.min(BATCH, total - from) }, (_, k) => make(from + k)));
  }
}

if (startupOnly) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { store, connection, models } = await open(startupOnly);
  console.log(JSON.stringify({ startupSeconds: +((performance.now() - started) / 1000).toFixed(2), startupCpuSeconds: cpuSecondsSince(cpu), users: await models.User.estimatedDocumentCount() }));
  await connection.close();
  await store.close();
  process.exit(0);
}

const loadAverageAtStart = loadavg().map((value) => +value.toFixed(1));
const dataDir = keepDir ?? mkdtempSync(join(tmpdir(), 'bench-scale-'));
try {
  let { store, connection, models } = await open(dataDir);
  await ensureIndexes(models);
  const practiceId = new Types.ObjectId();
  const now = Date.now();
  const hash = `$argon2id$v=19$m=19456,t=2,p=1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;
  // An identity and its membership of the practice (docs/memberships.md): two documents per user.
  const userDoc = (i: number) => ({
    _id: new Types.ObjectId(), sub: `sub-${i}`, email: `user${i}@clinic.example`, name: `Dr User ${i}`,
    passwordHash: hash, emailVerified: true, createdAt: new Date(now), updatedAt: new Date(now),
  });
  const membershipOf = (user: Record<string, unknown>) => ({
    _id: new Types.ObjectId(), userId: user._id, practiceId, role: 'clinician', status: 'active', mfaEnabled: false, createdAt: new Date(now), updatedAt: new Date(now),
  });
  // Seconds per 10,000 users, batch by batch: linear loading keeps this flat from the first to the last.
  const perTenThousand: number[] = [];
  await phase(`load ${USERS} users (identity + membership)`, () => inBatches(USERS, userDoc, async (docs) => {
    const t = performance.now();
    await models.User.collection.insertMany(docs);
    await models.Membership.collection.insertMany(docs.map(membershipOf));
    perTenThousand.push(((performance.now() - t) / docs.length) * 10_000);
  }));
  // 10 % of the sessions are already past their lifetime: the expiry wave the monitor deletes later.
  const expired = Math.floor(USERS / 10);
  await phase(`load ${USERS} sessions (oidc record + activity)`, async () => {
    await inBatches(USERS, (i) => ({
      _id: `Session:${randomBytes(16).toString('base64url')}`, kind: 'Session', accountId: `sub-${i}`, uid: `uid-${i}`,
      payload: JSON.stringify({ accountId: `sub-${i}`, loginTs: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 43_200 }),
      expiresAt: new Date(i < expired ? now - 1_000 : now + 43_200_000),
    }), (docs) => models.OidcRecord.collection.insertMany(docs));
    await inBatches(USERS, (i) => ({
      _id: `uid-${i}`, accountId: `sub-${i}`, practiceId, signedInAt: new Date(now), lastSeenAt: new Date(now),
      expiresAt: new Date(i < expired ? now - 1_000 : now + 43_200_000),
    }), (docs) => models.SessionActivity.collection.insertMany(docs));
  });

  // The sign-in mix: a user read by email, its memberships, an activity touch; 16 in flight.
  await phase(`serve ${MIX_OPERATIONS} sign-in reads/writes (compaction, TTL wave of ${2 * expired})`, async () => {
    let next = 0;
    const worker = async () => {
      while (next < MIX_OPERATIONS) {
        const i = Math.floor(Math.random() * USERS);
        next++;
        const user = await models.User.findOne({ email: `user${i}@clinic.example` }).lean();
        if (user) await models.Membership.find({ userId: user._id, status: 'active' }).lean();
        await models.SessionActivity.updateOne({ _id: `uid-${i}` }, { $set: { lastSeenAt: new Date() } });
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
  });
  const liveDocs = await models.User.estimatedDocumentCount() + await models.Membership.estimatedDocumentCount() + await models.OidcRecord.estimatedDocumentCount() + await models.SessionActivity.estimatedDocumentCount();
  await connection.close();
  await store.close();
  const dataDirectoryMiB = +(readdirSync(dataDir).reduce((sum, file) => sum + statSync(join(dataDir, file)).size, 0) / 2 ** 20).toFixed(1);

  const restart = performance.now();
  const restartCpu = process.cpuUsage();
  ({ store, connection, models } = await open(dataDir));
  const startupSeconds = +((performance.now() - restart) / 1000).toFixed(2);
  const used = process.cpuUsage(restartCpu);
  // CPU time as well as wall time: on a shared machine the wall time also counts waiting for a core.
  const startupCpuSeconds = +((used.user + used.system) / 1e6).toFixed(2);
  const afterRestart = await models.User.estimatedDocumentCount();
  await connection.close();
  await store.close();

  const at = (count: number) => perTenThousand[Math.min(perTenThousand.length, Math.ceil(count / BATCH)) - 1];
  const result = {
    users: USERS,
    sessions: USERS,
    documentsAfterMix: liveDocs,
    phases,
    batch: BATCH,
    /** Seconds per 10,000 users in the batch of 10,000 that ends at 10k, 50k and 100k users stored. */
    loadSecondsPer10kUsers: Object.fromEntries([10_000, 50_000, USERS].map((count) => [`at${count / 1000}k`, +((at(count) ?? 0) / 1000).toFixed(2)])),
    dataDirectoryMiB,
    rssMiBAfterRestart: +(process.memoryUsage().rss / 2 ** 20).toFixed(0),
    startupSeconds,
    startupCpuSeconds,
    loadAverageAtStart,
    loadAverageAtEnd: (await import('node:os')).loadavg().map((value) => +value.toFixed(1)),
    usersAfterRestart: afterRestart,
    node: process.version,
    at: new Date().toISOString(),
  };
  console.log(JSON.stringify(result, null, 2));
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
} finally {
  if (!keepDir) rmSync(dataDir, { recursive: true, force: true });
}
