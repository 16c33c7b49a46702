// Prints the top functions of a V8 .cpuprofile (from BENCH_CPU_PROF) by self time, aggregated by
// function name and file:line, so the same function reached through many call paths counts once.
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [top=15]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
const selfMicros = new Map<string, number>();
const byPackage = new Map<string, number>();
/** node_modules/<package>, src/<folder>, node:internal, or the V8 pseudo-frames. */
const packageOf = (where: string) =>
  where.match(/.*node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? where.match(/^((src|bench|test)\/[^/:]+)/)?.[1] ?? (where.startsWith('node:') ? 'node' : where ? 'other' : '(v8)');
let totalMicros = 0;
profile.samples.forEach((nodeId, i) => {
  const frame = frameOf.get(nodeId);
  const micros = profile.timeDeltas[i] ?? 0;
  if (!frame) return;
  totalMicros += micros;
  // Line numbers in profiles are 0-based.
  const where = frame.url ? `${frame.url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '')}:${frame.lineNumber + 1}` : '';
  const key = `${frame.functionName || '(anonymous)'}\t${where}`;
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + micros);
  const pkg = packageOf(where);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
});

const top = [...selfMicros].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 15));
console.log(`total sampled: ${(totalMicros / 1000).toFixed(0)} ms`);
console.log(['self ms', '  self %', 'function', 'file:line'].join('\t'));
for (const [key, micros] of top) {
  console.log(`${(micros / 1000).toFixed(1).padStart(7)}\t${((micros / totalMicros) * 100).toFixed(1).padStart(7)}%\t${key}`);
}

console.log('\nself time by package or source folder:');
for (const [pkg, micros] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
  console.log(`${(micros / 1000).toFixed(1).padStart(7)}\t${((micros / totalMicros) * 100).toFixed(1).padStart(7)}%\t${pkg}`);
}
