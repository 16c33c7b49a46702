// A bounded closed-loop load generator: `concurrency` virtual users repeat `op` until `total`
// operations have started or `capMs` has passed, whichever comes first. Latency per operation.

export interface LoadResult {
  ops: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The first error message, so a broken scenario says why. */
  firstError?: string;
  /** CPU (user + system, all threads) per completed operation, in the server process and in this driver. */
  serverCpuMs?: number;
  driverCpuMs?: number;
}

/** The server process's CPU time so far (µs), asked of the child. */
export type CpuProbe = () => Promise<number>;

/** `runLoad`, plus the CPU each side spent per completed operation (load-independent, unlike /s). */
export async function runMeasured(probe: CpuProbe, ...args: Parameters<typeof runLoad>): Promise<LoadResult> {
  const server0 = await probe();
  const driver0 = process.cpuUsage();
  const result = await runLoad(...args);
  const driver = process.cpuUsage(driver0);
  const server = (await probe()) - server0;
  const per = (micros: number) => round(micros / 1000 / Math.max(1, result.ops), 2);
  return { ...result, serverCpuMs: per(server), driverCpuMs: per(driver.user + driver.system) };
}

/** What a child answers to {"cmd":"cpu"}: its CPU time so far (µs, all threads). */
export function cpuSoFar(): { cpuMicros: number } {
  const used = process.cpuUsage();
  return { cpuMicros: used.user + used.system };
}

/** `op(worker, i)`: worker is the virtual user's index (for per-user state such as a refresh chain). */
export async function runLoad(total: number, concurrency: number, capMs: number, op: (worker: number, i: number) => Promise<unknown>): Promise<LoadResult> {
  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  let firstError: string | undefined;
  const begin = performance.now();
  const deadline = begin + capMs;
  const worker = async (w: number) => {
    while (started < total && performance.now() < deadline) {
      const i = started++;
      const t0 = performance.now();
      try {
        await op(w, i);
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - begin) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length,
    errors,
    seconds: round(seconds, 2),
    perSecond: round(latencies.length / seconds, 1),
    p50Ms: round(percentile(latencies, 0.5), 1),
    p99Ms: round(percentile(latencies, 0.99), 1),
    ...(firstError ? { firstError } : {}),
  };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * One result from the same run repeated in several rounds: operations, errors and time add up;
 * CPU per operation is weighted by operations; p50 is the median of the rounds' p50s and p99 the
 * worst round's (the latencies themselves are not kept).
 */
export function mergeRounds(rounds: LoadResult[]): LoadResult {
  const sum = (pick: (r: LoadResult) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  const ops = sum((r) => r.ops);
  const seconds = sum((r) => r.seconds);
  const weighted = (pick: (r: LoadResult) => number | undefined) => round(sum((r) => (pick(r) ?? 0) * r.ops) / Math.max(1, ops), 2);
  const p50s = rounds.map((r) => r.p50Ms).sort((a, b) => a - b);
  const firstError = rounds.find((r) => r.firstError)?.firstError;
  return {
    ops,
    errors: sum((r) => r.errors),
    seconds: round(seconds, 2),
    perSecond: round(ops / seconds, 1),
    p50Ms: p50s[Math.floor((p50s.length - 1) / 2)] ?? NaN,
    p99Ms: Math.max(...rounds.map((r) => r.p99Ms)),
    serverCpuMs: weighted((r) => r.serverCpuMs),
    driverCpuMs: weighted((r) => r.driverCpuMs),
    ...(firstError ? { firstError } : {}),
  };
}
