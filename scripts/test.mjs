// `npm test`: the checks (`npm run checks`: type check, dependency rules, lint, duplicate code) and
// the mocha suite at the same time, not one after the other: the suite has moments where a core
// waits (a test waiting for Chromium, a child process, a mail), and the checks (about 12 s of CPU,
// the type check on one checker thread) fill them. Measured on the 2-core machine at load 2:
// 206.6 s one after the other, 196.7 s side by side (docs/testing.md). Before the type check ran on
// one checker its four threads competed with the suite, and side by side was slower (257 s vs 233 s).
// Mocha's output streams as it runs; the checks' output is printed once the suite has ended, so the
// two never interleave. Either failing fails `npm test` (after both ended).
import { spawn } from 'node:child_process';

/** Runs a command; resolves with its exit code (and its output when buffered). */
function run(command, args, { buffered }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (buffered) {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    }
    child.on('close', (code, signal) => resolve({ ok: code === 0, code: code ?? signal, output }));
  });
}

// Three workers on two cores: the tests wait (for Chromium, a child process, a mail) often enough
// that two workers left the cores idle a quarter of the time (busy 76 % of the run by vmstat); with
// three they are busy about 90 %, with four the extra worker only adds CPU (docs/testing.md, "Three
// workers"). `.mocharc.cjs` hands the longest-running folders out first so no long file runs alone
// at the end.
const mochaArgs = ['--parallel', '--jobs', '3', ...process.argv.slice(2)];
const [checks, mocha] = await Promise.all([
  run(process.execPath, ['scripts/checks.mjs'], { buffered: true }),
  run('node_modules/.bin/mocha', mochaArgs, { buffered: false }),
]);

process.stdout.write(`\nChecks (npm run checks, run beside the suite):\n${checks.output}`);
if (!checks.ok) process.stdout.write('npm test: the checks FAILED (above)\n');
if (!mocha.ok) process.stdout.write(`npm test: the mocha suite FAILED (exit ${mocha.code})\n`);
process.exit(checks.ok && mocha.ok ? 0 : 1);
