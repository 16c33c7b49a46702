// Without MONGODB_URI the CLI works on the embedded store in DATA_DIR: it starts the store there
// itself, or, when a running provider holds the directory, connects to the address that provider's
// store publishes in <DATA_DIR>/store.uri.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADDRESS_FILE } from '../../../src/store/embedded/address.js';
import { startEmbeddedStore } from '../../../src/store/embedded/index.js';
import { cliEnv, expectOk, runCli, runCliProcess } from './run-cli.js';

const quiet = { info() {}, warn() {} };

describe('operator CLI on the embedded store in DATA_DIR', function () {
  this.timeout(30_000);
  let tmp: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'cli-data-'));
    dataDir = join(tmp, 'data');
    env = cliEnv({ DATA_DIR: dataDir });
  });
  after(() => rm(tmp, { recursive: true, force: true }));

  it('creates the store on first use and finds its data on the next run', async () => {
    expectOk(await runCli(['practices', 'create', '--name', 'Hillside Clinic'], env));
    expect(await readdir(dataDir)).not.to.be.empty;
    const practices = JSON.parse(expectOk(await runCli(['practices', 'list', '--json'], env)).stdout) as Array<{ name: string }>;
    expect(practices.map((practice) => practice.name)).to.deep.equal(['Hillside Clinic']);
  });

  it('connects to the running store of a provider that holds the directory', async function () {
    this.timeout(120_000);
    const running = await startEmbeddedStore({ dataDir, logger: quiet });
    try {
      const addressFile = join(dataDir, ADDRESS_FILE);
      expect(existsSync(addressFile), 'the running store publishes its address').to.equal(true);
      // The real binary once: the lock and the address file work between processes.
      expectOk(await runCliProcess(['practices', 'create', '--name', 'Lakeside Clinic'], env));
      const practices = JSON.parse(expectOk(await runCli(['practices', 'list', '--json'], env)).stdout) as Array<{ name: string }>;
      expect(practices.map((practice) => practice.name)).to.deep.equal(['Hillside Clinic', 'Lakeside Clinic']);

      // A holder that publishes no address: the CLI says what is wrong and how to proceed.
      await rm(addressFile);
      const refused = await runCli(['practices', 'list'], env);
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.equal(`error: data directory ${dataDir} is in use by process ${process.pid}, which publishes no address in ${ADDRESS_FILE}; stop it or set MONGODB_URI\n`);
    } finally {
      await running.close();
    }
  });
});
