// The suite's time budget (README "Tests"): every test and every hook must finish within one fifth
// of its own timeout, so a run on a machine five times slower than usual still passes. Loaded by
// .mocharc.cjs (`require`), in the main process or in each `--parallel` worker.
//
// The rule, written to hold on a busy CI machine: a runnable's time is its wall time MINUS the time
// the main threads of the test process and of every process below it (Chromium's browser, renderer
// and GPU processes, a CLI or store child) spent ready to run but waiting for a CPU while it ran
// (Linux `/proc/<pid>/task/<pid>/schedstat`, field 2: run-queue wait). On an idle machine that is
// nothing, and the rule is plain wall time; on a busy one it takes out the time lost to other jobs
// on the same cores. A test sleeping on a real timer or doing too much work still counts in full.
// Of the processes below the test's, only the one that waited longest counts (their waits overlap).
// A child that exits before the runnable ends (a server stopped by SIGTERM) takes its counters with
// it, so the tree is also sampled every second while the runnable runs and each thread's highest
// reading is kept. Where schedstat is missing (not Linux), wall time is used.
//
// A runnable over budget fails with a message naming its time, its budget and its timeout.
// TEST_TIME_BUDGET=off turns the check off (e.g. when stepping through a test in a debugger);
// TEST_TIMINGS=<file> appends one JSON line per runnable (file, title, wall, effective, cpu, timeout,
// and the worker's pid and the time it ended, to see how the parallel workers were kept busy) for
// profiling (`node scripts/test-timings.mjs <file>` ranks them). `cpu` is the CPU time (user +
// system, ms) of this process's threads and of every process below it, live or ended, while the
// runnable ran: what the runnable costs the machine, whatever else runs on it.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import Mocha from 'mocha';

/** A runnable may use this share of its timeout. */
export const BUDGET_SHARE = 1 / 5;

const enabled = process.env.TEST_TIME_BUDGET !== 'off';
const timingsFile = process.env.TEST_TIMINGS;

/** The run-queue wait so far (ns) of the main thread of this process and of each process below it, by pid/tid. */
type WaitSample = Map<string, number>;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // a thread or process that ended between listing and reading
  }
}

/** The run-queue waits of this process's threads and its descendants' (Chromium, a CLI child), or undefined off Linux. */
function sampleWaits(): WaitSample | undefined {
  if (readText('/proc/self/schedstat') === undefined) return undefined;
  const sample: WaitSample = new Map();
  const pending = [process.pid];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      // Main threads only, where the test (or the browser's page) runs: helper threads (GC,
      // compilers, pools) wake and wait while the test sleeps, and would excuse the sleep.
      const onPath = tid === String(pid);
      const wait = onPath ? Number(readText(`/proc/${pid}/task/${tid}/schedstat`)?.split(' ')[1]) : Number.NaN;
      if (Number.isFinite(wait)) sample.set(`${pid}/${tid}`, wait);
      for (const child of readText(`/proc/${pid}/task/${tid}/children`)?.split(' ') ?? []) if (child.trim()) pending.push(Number(child));
    }
  }
  return sample;
}

/** Each thread's highest reading of two samples (a thread gone from `later` keeps its last one). */
export function latestWaits(earlier: WaitSample | undefined, later: WaitSample | undefined): WaitSample | undefined {
  if (!earlier || !later) return later ?? earlier;
  const merged = new Map(earlier);
  for (const [thread, wait] of later) merged.set(thread, Math.max(wait, merged.get(thread) ?? 0));
  return merged;
}

/** How often the process tree is sampled while a runnable runs (ms). */
const SAMPLE_EVERY_MS = 1_000;

/**
 * Nanoseconds the runnable waited for a CPU between two samples: this process's main thread, plus
 * the longest wait of any one process below it (its waits overlap with the others', so adding them
 * all up would excuse far more than was lost). A process born since counts from its start.
 */
export function waitedNs(start: WaitSample | undefined, end: WaitSample | undefined): number | undefined {
  if (!start || !end) return undefined;
  let own = 0;
  let child = 0;
  for (const [thread, wait] of end) {
    const waited = Math.max(0, wait - (start.get(thread) ?? 0));
    if (thread === `${process.pid}/${process.pid}`) own = waited;
    else child = Math.max(child, waited);
  }
  return own + child;
}

/** Milliseconds a runnable counts against its budget: wall time less the CPU wait (never below 0). */
export function effectiveMs(wallMs: number, waitedNanoseconds: number | undefined): number {
  if (waitedNanoseconds === undefined) return wallMs;
  return Math.max(0, wallMs - waitedNanoseconds / 1e6);
}

/** The failure for a runnable over its budget, or undefined when it is within it (or has no timeout). */
export function overBudget(effective: number, timeoutMs: number): Error | undefined {
  if (!(timeoutMs > 0) || effective <= timeoutMs * BUDGET_SHARE) return undefined;
  return new Error(
    `took ${Math.round(effective)} ms (wall time less CPU wait), over its budget of ${Math.round(timeoutMs * BUDGET_SHARE)} ms ` +
      `(1/5 of its ${timeoutMs} ms timeout): make it faster (an injected clock instead of a wait, one server per file) ` +
      'or give its file a larger this.timeout() with a comment saying why',
  );
}

/** Clock ticks a second of /proc/<pid>/stat's CPU fields (USER_HZ: 100 on Linux). */
const TICK_MS = 10;

/** /proc/<pid>/stat CPU fields in ms: own (utime + stime) and of its ended children (cutime + cstime). */
function statCpuMs(pid: number | 'self'): { own: number; children: number } | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // Fields after the command name (which may hold spaces), from field 3 on: utime is the 14th field.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return { own: (fields[11]! + fields[12]!) * TICK_MS, children: (fields[13]! + fields[14]!) * TICK_MS };
}

/**
 * CPU ms so far of this process (all threads) and of every process below it, counting ended ones
 * through their parents' cutime/cstime, or undefined off Linux (timings then carry no cpu).
 */
function cpuSoFarMs(): number | undefined {
  if (!timingsFile) return undefined;
  const self = statCpuMs('self');
  if (!self) return undefined;
  const usage = process.cpuUsage();
  let total = (usage.user + usage.system) / 1000 + self.children;
  const pending = readdirSafe('/proc/self/task').flatMap((tid) => childrenOf(process.pid, tid));
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    const stat = statCpuMs(pid);
    if (stat) total += stat.own + stat.children;
    for (const tid of readdirSafe(`/proc/${pid}/task`)) pending.push(...childrenOf(pid, tid));
  }
  return total;
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function childrenOf(pid: number, tid: string): number[] {
  return (readText(`/proc/${pid}/task/${tid}/children`) ?? '').split(' ').filter((child) => child.trim()).map(Number);
}

type Done = (err?: unknown) => void;
type RunnableLike = {
  run(fn: Done): void;
  duration?: number;
  timeout(): number;
  fullTitle(): string;
  file?: string;
  type?: string;
  isPending?(): boolean;
};

const prototype = (Mocha as unknown as { Runnable: { prototype: RunnableLike } }).Runnable.prototype;
const originalRun = prototype.run;
prototype.run = function run(this: RunnableLike, fn: Done) {
  const waitStart = sampleWaits();
  const cpuStart = cpuSoFarMs();
  let seen = waitStart;
  const sampler = waitStart ? setInterval(() => { seen = latestWaits(seen, sampleWaits()); }, SAMPLE_EVERY_MS).unref() : undefined;
  const started = performance.now();
  let settled = false;
  originalRun.call(this, (err?: unknown) => {
    // Mocha calls back a second time only to report a second `done()`; pass that through untouched.
    if (settled) return fn(err);
    settled = true;
    clearInterval(sampler);
    const wall = this.duration ?? performance.now() - started;
    const effective = effectiveMs(wall, waitedNs(waitStart, latestWaits(seen, sampleWaits())));
    if (timingsFile) {
      const cpuEnd = cpuSoFarMs();
      const cpu = cpuStart === undefined || cpuEnd === undefined ? undefined : Math.max(0, cpuEnd - cpuStart);
      const line = { file: this.file, title: this.fullTitle(), type: this.type, wall, effective, cpu, timeout: this.timeout(), failed: Boolean(err), pid: process.pid, end: Date.now() };
      appendFileSync(timingsFile, `${JSON.stringify(line)}\n`);
    }
    fn(err ?? (enabled ? overBudget(effective, this.timeout()) : undefined));
  });
};
