// The printed table: one row per run, each side's throughput and server CPU per operation side by
// side (ours in memory, ours on a data directory, bare oidc-provider, ours at 100k users), then
// argon2id, memory and the targets (reported, never asserted).
import type { Argon2Result } from './argon2.js';
import type { LoadResult } from './load.js';
import { round } from './load.js';

export interface Side {
  store: string;
  users: number;
  runs: Record<string, LoadResult>;
  memory: Record<string, number>;
}

export interface Report {
  at: string;
  cores: number;
  node: string;
  command: string;
  loadAverage: Record<string, number[]>;
  knobs: { scale: number; concurrency: number };
  rounds: number;
  argon2: Argon2Result;
  sides: Record<string, Side>;
  totalSeconds: number;
}

const MEMORY = 'ours, memory';
const DURABLE = 'ours, data directory';
const BARE = 'bare';

export function printReport(report: Report): void {
  const names = Object.keys(report.sides);
  const runNames = [...new Set(names.flatMap((side) => Object.keys(report.sides[side]!.runs)))];
  const rows = runNames.map((run) => {
    const row: Record<string, string | number> = { run };
    for (const side of names) {
      const result = report.sides[side]!.runs[run];
      const label = side === BARE ? 'bare' : side === MEMORY ? 'mem' : side === DURABLE ? 'disk' : 'big';
      row[`${label} /s`] = result ? result.perSecond : '';
      row[`${label} CPU ms`] = result?.serverCpuMs ?? '';
      if (result?.errors) row[`${label} errors`] = result.errors;
    }
    const bare = report.sides[BARE]?.runs[run];
    const disk = report.sides[DURABLE]?.runs[run];
    // CPU per operation, not /s: on a shared machine the ratio of CPU costs is what load does not move.
    row['bare/disk CPU'] = bare?.serverCpuMs && disk?.serverCpuMs ? round(bare.serverCpuMs / disk.serverCpuMs, 2) : '';
    return row;
  });
  console.log(`\nnode ${report.node}, ${report.cores} cores, ${report.rounds} alternating rounds, scale ${report.knobs.scale}; load average ${JSON.stringify(report.loadAverage)}`);
  console.log(`sides: ${names.map((side) => `${side} (${report.sides[side]!.store}, ${report.sides[side]!.users} users)`).join('; ')}`);
  console.table(rows);

  const a = report.argon2;
  console.log(`argon2id m=${a.params.memoryKiB} t=${a.params.timeCost} p=${a.params.parallelism}, mean of ${a.hashes}: hash ${a.argon2Ms} ms wall, verify ${a.verifyCpuMs} ms CPU; @node-rs/argon2 ${a.nodeRsMs} ms, PHC strings verify across: ${a.crossVerifies ? 'yes' : 'NO'}`);
  for (const side of names) console.log(`memory, ${side}: ${Object.entries(report.sides[side]!.memory).map(([key, value]) => `${key} ${value}`).join('; ')}`);

  console.log('\ntargets (reported, not asserted):');
  for (const side of names.filter((name) => name !== BARE)) {
    const signIn = Object.entries(report.sides[side]!.runs).find(([name]) => name.startsWith('password sign-in,') && !name.endsWith(' 1 user'))?.[1];
    if (!signIn?.serverCpuMs) continue;
    const share = a.verifyCpuMs / signIn.serverCpuMs;
    console.log(`  ${side}: server CPU per password sign-in ${signIn.serverCpuMs} ms, of which argon2id verify ${a.verifyCpuMs} ms = ${round(share * 100, 1)}% ` +
      `(CPU / CPU); server-bound sign-ins per core ${round(1000 / signIn.serverCpuMs, 1)} (target 15: ${1000 / signIn.serverCpuMs >= 15 ? 'met' : 'NOT met'})`);
  }
  for (const run of runNames.filter((name) => name.startsWith('token:'))) {
    for (const side of [MEMORY, DURABLE]) {
      const ours = report.sides[side]?.runs[run];
      const bare = report.sides[BARE]?.runs[run];
      if (!ours?.serverCpuMs || !bare?.serverCpuMs) continue;
      const ratio = bare.serverCpuMs / ours.serverCpuMs;
      console.log(`  ${run}, ${side}: bare CPU / ours CPU ${round(ratio * 100, 1)}% (target 80%: ${ratio >= 0.8 ? 'met' : 'NOT met'})`);
    }
  }
  console.log(`total ${report.totalSeconds} s; repeat with: ${report.command}`);
}
