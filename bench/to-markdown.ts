// Prints the README's benchmark tables from published JSON files, so the figures quoted are the
// run's own, never retyped:  npx tsx bench/to-markdown.ts bench/results/<run>.json [bench/results/scale-100k.json]
import { readFileSync } from 'node:fs';
import type { Report } from './report.js';

const [runFile, scaleFile] = process.argv.slice(2);
if (!runFile) throw new Error('usage: to-markdown.ts <bench run>.json [scale run].json');
const report = JSON.parse(readFileSync(runFile, 'utf8')) as Report;
const sides = Object.keys(report.sides);
const runs = [...new Set(sides.flatMap((side) => Object.keys(report.sides[side]!.runs)))];
const cell = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '' : value.toLocaleString('en-US', { maximumFractionDigits: 2 }));

console.log(`Run \`${runFile}\` (${report.command}), ${report.at}, node ${report.node}, ${report.cores} cores, ` +
  `${report.rounds} alternating rounds; load average at start ${report.loadAverage.atStart?.join(' / ')}, at end ${report.loadAverage.atEnd?.join(' / ')}.\n`);
console.log(`| run | ${sides.map((side) => `${side}: /s · server CPU ms`).join(' | ')} |`);
console.log(`|---|${sides.map(() => '---').join('|')}|`);
for (const run of runs) {
  const cells = sides.map((side) => {
    const result = report.sides[side]!.runs[run];
    return result ? `${cell(result.perSecond)} · ${cell(result.serverCpuMs)}${result.errors ? ` (${result.errors} errors)` : ''}` : '';
  });
  console.log(`| ${run} | ${cells.join(' | ')} |`);
}
console.log('');
console.log(`| memory | ${sides.join(' | ')} |`);
console.log(`|---|${sides.map(() => '---').join('|')}|`);
const memoryKeys = [...new Set(sides.flatMap((side) => Object.keys(report.sides[side]!.memory)))];
for (const key of memoryKeys) console.log(`| ${key} | ${sides.map((side) => cell(report.sides[side]!.memory[key])).join(' | ')} |`);
const a = report.argon2;
console.log(`\nargon2id (m=${a.params.memoryKiB}, t=${a.params.timeCost}, p=${a.params.parallelism}): one verify ${a.verifyCpuMs} ms of CPU; one hash ${a.argon2Ms} ms wall (\`@node-rs/argon2\` ${a.nodeRsMs} ms).`);
for (const side of sides.filter((name) => name !== 'bare')) {
  const signIn = Object.entries(report.sides[side]!.runs).find(([name]) => name.startsWith('password sign-in,') && !name.endsWith(' 1 user'))?.[1];
  if (signIn?.serverCpuMs) console.log(`- ${side}: ${signIn.serverCpuMs} ms server CPU per password sign-in, argon2id ${Math.round((a.verifyCpuMs / signIn.serverCpuMs) * 1000) / 10} % of it; ${Math.round(10000 / signIn.serverCpuMs) / 10} sign-ins per core server-bound.`);
}

if (scaleFile) {
  const scale = JSON.parse(readFileSync(scaleFile, 'utf8')) as {
    users: number; phases: { phase: string; seconds: number; cpuSeconds: number; maxDelayMs: number; p99DelayMs: number; stallsOver100ms: number; stallsWithMainThreadBusy100ms: number; maxMainThreadCpuInAStallMs: number; longestStoreCommandMs: number; longestStoreCommandCpuMs: number; maxGcPauseMs: number; loadAverage: number[] }[];
    loadSecondsPer10kUsers: Record<string, number>; startupSeconds: number; startupCpuSeconds: number; dataDirectoryMiB: number; rssMiBAfterRestart: number; loadAverageAtStart: number[];
  };
  console.log(`\nScale run \`${scaleFile}\` (\`npx tsx bench/scale.ts ${scale.users} --json ${scaleFile}\`), load average at start ${scale.loadAverageAtStart.join(' / ')}:\n`);
  console.log('| phase | wall s | CPU s | loop delay p99 / max ms | stalls > 100 ms | of which main thread busy ≥ 100 ms | most main-thread CPU in one stall, ms | longest store command ms (process CPU ms) | longest GC pause ms | load average |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const p of scale.phases) {
    console.log(`| ${p.phase} | ${p.seconds} | ${p.cpuSeconds} | ${p.p99DelayMs} / ${p.maxDelayMs} | ${p.stallsOver100ms} | ${p.stallsWithMainThreadBusy100ms} | ${p.maxMainThreadCpuInAStallMs} | ${p.longestStoreCommandMs} (${p.longestStoreCommandCpuMs}) | ${p.maxGcPauseMs} | ${p.loadAverage[0]} |`);
  }
  console.log(`\nLoading, seconds per 10,000 users: ${Object.entries(scale.loadSecondsPer10kUsers).map(([at, s]) => `${at.replace('at', 'at ')} ${s}`).join(', ')}. ` +
    `Restart: ${scale.startupSeconds} s wall, ${scale.startupCpuSeconds} s CPU; data directory ${scale.dataDirectoryMiB} MiB; RSS after restart ${scale.rssMiBAfterRestart} MiB.`);
}
