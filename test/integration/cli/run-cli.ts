// Runs the operator CLI with its own environment: in this process (`runCli`, the CLI's own
// runCli(argv, io) with captured output, as fast as a function call), or as the real binary in a
// child process (`runCliProcess`, as `npm run cli` does) for what only a process shows: exit codes,
// stdin, the embedded store's lock and address file.
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'mongoose';
import { openCliContext } from '../../../src/app/cli-context.js';
import { runCli as runCliInProcess } from '../../../src/cli/run.js';
import { openConnection } from '../../../src/store/connection.js';
import { createModels, type Models } from '../../../src/store/models/index.js';
import { TEST_AUDIT_KEY } from '../../helpers/audit-keys.js';
import { TEST_ARGON2 } from '../../helpers/server.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The test's environment minus everything that would point the CLI at another store. */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
  for (const key of ['MONGODB_URI', 'DATA_DIR', 'CONFIG_FILE', 'EMBEDDED_STORE', 'DEBUG']) delete env[key];
  return { ...env, ...TEST_ARGON2, AUDIT_KEY: TEST_AUDIT_KEY, ...extra };
}

/** The CLI in this process: what the binary would print, and its exit code. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCliInProcess(args, {
    out: (text) => (stdout += `${text}\n`),
    err: (text) => (stderr += `${text}\n`),
    stdin: Readable.from(stdin ? [Buffer.from(stdin, 'utf8')] : []),
    env,
  }, openCliContext);
  return { code, stdout, stderr };
}

/** The real binary in a child process (slow: a process start and a TypeScript load per call). */
export function runCliProcess(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { cwd: REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Fails with the child's output, so a broken command explains itself. */
export function expectOk(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`CLI exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

/**
 * A store for CLI tests, with the models on their own connection to check what commands stored,
 * and `run(args, stdin?)` running the CLI (in this process) against it. Call inside a describe (before/after hooks).
 */
export function cliOnStore(extraEnv: Record<string, string> = {}): { run(args: string[], stdin?: string): Promise<CliResult>; readonly models: Models } {
  let store: StoreUnderTest | undefined;
  let connection: Connection | undefined;
  let models: Models | undefined;
  let env: NodeJS.ProcessEnv = {};
  before(async () => {
    store = await storeUnderTest();
    connection = await openConnection(store.uri);
    models = createModels(connection);
    env = cliEnv({ MONGODB_URI: store.uri, ...extraEnv });
  });
  after(async () => {
    await connection?.close();
    await store?.close();
  });
  return {
    run: (args, stdin) => runCli(args, env, stdin),
    get models() {
      if (!models) throw new Error('cliOnStore: used outside a test');
      return models;
    },
  };
}
