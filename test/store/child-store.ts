/**
 * The embedded store's CLI as a child process, so a test can kill it the hard way (SIGKILL) and
 * restart it on the same data directory.
 *
 * The child runs the CLI's source bundled into one JavaScript file by esbuild (the compiler tsx
 * uses), built once per test process, instead of `node --import tsx`: tsx's own start is about
 * 0.35 s of CPU and it compiles the store's 32 files on each start, about 0.85 s a child against
 * 0.35 s. The durability tests start some fifteen children. The same source runs, with its
 * packages (bson, mingo) loaded from node_modules as usual.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 15_000;

let storeCli: Promise<string> | undefined;

/** The bundle of src/store/embedded/cli.ts, under node_modules so its packages resolve; removed when this process exits. */
function bundledStoreCli(): Promise<string> {
  return (storeCli ??= (async () => {
    const dir = join(projectRoot, 'node_modules', '.cache', 'test-store-cli');
    await mkdir(dir, { recursive: true });
    const outfile = join(dir, `cli-${process.pid}.mjs`);
    await build({ entryPoints: [join(projectRoot, 'src/store/embedded/cli.ts')], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
    process.once('exit', () => rmSync(outfile, { force: true }));
    return outfile;
  })());
}

export class ChildStore {
  /** Everything the child wrote to stdout and stderr, for asserting on its log. */
  output = '';
  uri = '';
  private stdout = '';
  private readonly exited: Promise<number | string>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
    child.stdout!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      this.stdout += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(dataDir: string): Promise<ChildStore> {
    const child = spawn(process.execPath, [await bundledStoreCli(), '--data-dir', dataDir], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const store = new ChildStore(child);
    await store.ready();
    return store;
  }

  /** SIGKILL: no shutdown code runs, like a power cut for the process. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: a clean stop; resolves with the exit code. */
  async stop(): Promise<number | string> {
    this.child.kill('SIGTERM');
    return this.exited;
  }

  private ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`store CLI not READY within ${READY_TIMEOUT_MS} ms; output:\n${this.output}`));
      }, READY_TIMEOUT_MS);
      const onData = () => {
        const match = /^READY (\S+)\r?\n/m.exec(this.stdout);
        if (!match) return;
        clearTimeout(timer);
        this.child.stdout!.off('data', onData);
        this.uri = match[1]!;
        resolve();
      };
      this.child.stdout!.on('data', onData);
      void this.exited.then((how) => {
        clearTimeout(timer);
        reject(new Error(`store CLI exited (${how}) before READY; output:\n${this.output}`));
      });
    });
  }
}
