// A benchmark server in its own process, spoken to over stdin/stdout with one JSON object per
// line prefixed `@bench ` (anything else the child prints is passed through to our stderr).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export const PROTOCOL_PREFIX = '@bench ';

export interface BenchChild<Info> {
  info: Info;
  /** Sends a command; resolves with the child's next reply. */
  ask<Reply>(command: Record<string, unknown>): Promise<Reply>;
  stop(): Promise<void>;
}

export async function startChild<Info>(script: string, env: Record<string, string> = {}): Promise<BenchChild<Info>> {
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server child there on exit
  // (summarise one with `npx tsx bench/profile-summary.ts <file>.cpuprofile`).
  const profileDir = process.env.BENCH_CPU_PROF;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--expose-gc', '--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting: ((reply: unknown) => void)[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let failed: ((err: Error) => void) | undefined;
  child.once('exit', (code) => failed?.(new Error(`${script} exited with ${code}`)));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith(PROTOCOL_PREFIX)) return void process.stderr.write(`[${script}] ${line}\n`);
    waiting.shift()?.(JSON.parse(line.slice(PROTOCOL_PREFIX.length)));
  });
  const next = () => new Promise<unknown>((resolve, reject) => {
    waiting.push(resolve);
    failed = reject;
  });
  const info = (await next()) as Info;
  return {
    info,
    async ask<Reply>(command: Record<string, unknown>) {
      const reply = next();
      child.stdin!.write(`${JSON.stringify(command)}\n`);
      return (await reply) as Reply;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The child side: announce `info`, then answer each command line with `handle`'s result. */
export function serveCommands(info: unknown, handle: (command: Record<string, unknown>) => Promise<unknown>): void {
  const reply = (value: unknown) => process.stdout.write(`${PROTOCOL_PREFIX}${JSON.stringify(value)}\n`);
  reply(info);
  createInterface({ input: process.stdin }).on('line', (line) => {
    handle(JSON.parse(line) as Record<string, unknown>).then(reply, (err: Error) => reply({ error: err.message }));
  });
}

/** Resident set size in MiB after a full collection (children run with --expose-gc). */
export function residentMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;
}
