// Operator CLI entry point: `npm run cli -- <group> <command> [options]` (see run.ts, --help). Like
// main.ts it sits above the composition root, which builds each command's services.
import { openCliContext } from '../app/cli-context.js';
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  stdin: process.stdin,
  env: process.env,
}, openCliContext);
