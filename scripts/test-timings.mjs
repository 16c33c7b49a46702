// Ranks the suite's time from a TEST_TIMINGS file (test/helpers/time-budget.ts writes one JSON line
// per test or hook): files by total time, then the slowest runnables and those closest to their
// timeout. Times are wall time less the CPU wait of the test process ("effective") and CPU time
// (user + system of the test process and every process below it: "cpu"), the figure to cut when
// the machine is shared.
//
//   TEST_TIMINGS=/tmp/timings.jsonl npx mocha && node scripts/test-timings.mjs /tmp/timings.jsonl [N]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [file, most = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/test-timings.mjs <timings.jsonl> [rows]');
  process.exit(2);
}
const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const name = (row) => relative(process.cwd(), row.file ?? '(root)');
const seconds = (ms) => (ms / 1000).toFixed(1).padStart(7);

const files = new Map();
for (const row of rows) {
  const entry = files.get(name(row)) ?? { wall: 0, effective: 0, cpu: 0, tests: 0 };
  entry.wall += row.wall;
  entry.effective += row.effective;
  entry.cpu += row.cpu ?? 0;
  if (row.type === 'test') entry.tests += 1;
  files.set(name(row), entry);
}
const total = [...files.values()].reduce((sum, entry) => ({ wall: sum.wall + entry.wall, effective: sum.effective + entry.effective, cpu: sum.cpu + entry.cpu }), { wall: 0, effective: 0, cpu: 0 });
console.log(`${rows.length} runnables in ${files.size} files: ${seconds(total.wall)} s wall, ${seconds(total.effective)} s effective, ${seconds(total.cpu)} s CPU\n`);
console.log('files by CPU time (s):                                          cpu effective    wall  tests');
for (const [path, entry] of [...files].sort((a, b) => b[1].cpu - a[1].cpu || b[1].effective - a[1].effective).slice(0, Number(most))) {
  console.log(`  ${path.padEnd(58)} ${seconds(entry.cpu)} ${seconds(entry.effective)} ${seconds(entry.wall)} ${String(entry.tests).padStart(5)}`);
}
console.log('\nslowest runnables (s):   effective    wall  share of timeout');
for (const row of [...rows].sort((a, b) => b.effective - a.effective).slice(0, Number(most))) {
  console.log(`  ${seconds(row.effective)} ${seconds(row.wall)}  ${(row.effective / row.timeout).toFixed(2)}  ${name(row)}: ${row.title.slice(0, 110)}`);
}
const tight = rows.filter((row) => row.timeout > 0 && row.effective > row.timeout / 5);
console.log(`\nover 1/5 of their timeout: ${tight.length}`);
for (const row of tight.sort((a, b) => b.effective / b.timeout - a.effective / a.timeout)) {
  console.log(`  ${(row.effective / row.timeout).toFixed(2)} of ${row.timeout} ms  ${name(row)}: ${row.title.slice(0, 110)}`);
}

// The finish: with `--parallel`, a long file handed out last runs alone while the other workers
// idle. Each worker's last file and when it ended (seconds after the first runnable started).
const stamped = rows.filter((row) => row.end !== undefined && row.pid !== undefined);
if (stamped.length) {
  const first = Math.min(...stamped.map((row) => row.end - row.wall));
  const lastByWorker = new Map();
  for (const row of stamped) {
    const seen = lastByWorker.get(row.pid);
    if (!seen || row.end > seen.end) lastByWorker.set(row.pid, { end: row.end, file: name(row) });
  }
  console.log('\neach worker\'s last file (ended at, s):');
  for (const { end, file } of [...lastByWorker.values()].sort((a, b) => a.end - b.end)) console.log(`  ${seconds(end - first)}  ${file}`);
}
