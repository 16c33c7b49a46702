// The checks `npm test` runs before mocha (README "Tests"), two at a time instead of one after
// another: the type check alone keeps one core busy for most of their time (about 19 s of CPU of
// their 25 s), so the dependency rules, the linter and the duplicate-code check run beside it on
// the other core. Each is still its own npm script (`npm run typecheck` etc., runnable alone);
// their output is printed whole when each ends (not interleaved), and any failure fails the lot (after all ended).
import { spawn } from 'node:child_process';

/** Lanes run side by side; the scripts within a lane one after another. */
const LANES = [['typecheck'], ['check:deps', 'lint', 'check:duplicates']];

function run(script) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`${code === 0 ? 'ok' : 'FAILED'}  npm run ${script} (${seconds} s)\n${output}`);
      resolve(code === 0);
    });
  });
}

async function lane(scripts) {
  let ok = true;
  for (const script of scripts) ok = (await run(script)) && ok;
  return ok;
}

const results = await Promise.all(LANES.map(lane));
process.exit(results.every(Boolean) ? 0 : 1);
