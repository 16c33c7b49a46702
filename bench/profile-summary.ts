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
/**
 * Who the time belongs to, for the sign-in explanation: the HTTP driver (fetch, openid-client, test
 * helpers; only present when the driver runs in the profiled process), the embedded store's engine,
 * the MongoDB driver on our side of the wire, the provider library with koa, our code, and the rest
 * of the runtime (http, streams, GC, idle).
 */
const layerOf = (where: string, name: string): string => {
  if (!where) return ['(idle)', '(garbage collector)', '(program)'].includes(name) ? name : 'node runtime';
  if (/node:internal\/deps\/undici|webstreams|openid-client|oauth4webapi|\/test\/helpers\/|^test\//.test(where)) return 'driver (fetch, openid-client)';
  if (/src\/store\/embedded|node_modules\/mingo|bson\.node\.mjs/.test(where)) return 'embedded store engine';
  if (/node_modules\/(mongodb|mongoose|bson)\b|mongoose\/node_modules/.test(where)) return 'MongoDB driver, mongoose';
  if (/node_modules\/(oidc-provider|koa|@koa|jose|koa-[^/]+|delegates|type-is|http-errors|cookies|keygrip|statuses|accepts|negotiator|content-type|raw-body|co-body|media-typer|mime-types|vary|only|encodeurl|escape-html|destroy|on-finished|fresh|path-to-regexp|quick-lru|nanoid|debug|ms)\//.test(where)) return 'oidc-provider, koa';
  if (/node_modules\/(pug|pug-[^/]+)\//.test(where)) return 'pug';
  if (/node_modules\/argon2\//.test(where)) return 'argon2 (main thread part)';
  if (/^(src|bench)\//.test(where)) return 'ours (src/, bench/)';
  if (where.startsWith('node:')) return 'node runtime';
  return 'other packages';
};
const byLayer = new Map<string, number>();
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
  const layer = layerOf(where, frame.functionName);
  byLayer.set(layer, (byLayer.get(layer) ?? 0) + micros);
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

console.log('\nself time by layer:');
for (const [layer, micros] of [...byLayer].sort((a, b) => b[1] - a[1])) {
  console.log(`${(micros / 1000).toFixed(1).padStart(7)}\t${((micros / totalMicros) * 100).toFixed(1).padStart(7)}%\t${layer}`);
}
