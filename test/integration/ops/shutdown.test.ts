// Graceful shutdown of the real entry point (src/main.ts as a child process, embedded store in a
// temp DATA_DIR): on SIGTERM a request already in flight is still answered, new connections are
// refused, the store is closed (its data-dir lock released) and the process exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { LOCK_FILE } from '../../../src/store/embedded/lock.js';

interface Started {
  child: ChildProcess;
  port: number;
  /** stdout: one JSON log record per line. */
  lines: string[];
  stderr: string[];
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function startMain(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir, MONGODB_URI: '', ARGON2_MEMORY_KIB: '19456' },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: ROOT,
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const record = JSON.parse(line) as { msg?: string; port?: number };
        if (record.msg?.startsWith('listening on') && record.port) resolve(record.port);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`main exited early (${code}): ${[...lines, ...stderr].join('\n')}`)));
  });
  return { child, port, lines, stderr };
}

/** A POST to /token whose body is only half sent: in flight until `finish` is called. */
function halfSentRequest(port: number) {
  const body = 'grant_type=authorization_code&code=nothing&client_id=nobody';
  const req = request({ host: '127.0.0.1', port, path: '/token', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) } });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      res.once('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.once('error', reject);
  });
  req.write(body.slice(0, 10));
  return { response, finish: () => req.end(body.slice(10)) };
}

describe('ops: graceful shutdown of src/main.ts', function () {
  // Starts src/main.ts in a child process (tsx compiling the whole app, production argon2): about
  // 6 s on an idle 2-core machine, so 90 s keeps it more than five times under (README "Tests").
  this.timeout(90_000);
  let dataDir: string;
  let started: Started | undefined;
  before(() => { dataDir = mkdtempSync(join(tmpdir(), 'idp-shutdown-')); });
  after(() => {
    if (started?.child.exitCode === null) started.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGTERM: the request in flight is answered, new ones refused, the store closed, exit 0', async () => {
    started = await startMain(dataDir);
    const { child, port } = started;
    expect(existsSync(join(dataDir, LOCK_FILE)), 'store lock while running').to.equal(true);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).to.equal(200);

    const inFlight = halfSentRequest(port);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => null, (err: Error & { cause?: { code?: string } }) => err.cause?.code);
    expect(refused, 'new connections refused').to.equal('ECONNREFUSED');
    expect(child.exitCode, 'still draining').to.equal(null);

    inFlight.finish();
    const answered = await inFlight.response;
    expect(answered.status, 'the in-flight request got its answer').to.be.within(400, 401);
    expect(JSON.parse(answered.body)).to.have.property('error');

    const [code] = await exited;
    expect(code, [...started.lines, ...started.stderr].join('\n')).to.equal(0);
    expect(existsSync(join(dataDir, LOCK_FILE)), 'store lock released').to.equal(false);
    const messages = started.lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).to.include('stopped');
  });
});
