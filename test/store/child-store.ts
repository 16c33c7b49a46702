/**
 * The embedded store's CLI as a child process, so a test can kill it the hard way (SIGKILL) and
 * restart it on the same data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 15_000;

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
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/store/embedded/cli.ts', '--data-dir', dataDir], {
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
