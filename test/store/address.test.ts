// The running store advertises its address in the data directory so an operator command can reach
// it while the provider holds the directory's lock.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { readAdvertisedAddress, startEmbeddedStore } from '../../src/store/embedded/index.js';

const quiet = { info() {}, warn() {} };

describe('embedded store: address advertised in the data directory', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'store-address-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is readable while the store runs, reaches it, and is withdrawn on close', async () => {
    expect(readAdvertisedAddress(dir)).to.equal(undefined);
    const store = await startEmbeddedStore({ dataDir: dir, logger: quiet });
    try {
      const advertised = readAdvertisedAddress(dir);
      expect(advertised).to.equal(store.uri);
      const client = await MongoClient.connect(advertised!);
      try {
        expect((await client.db('admin').command({ ping: 1 })).ok).to.equal(1);
      } finally {
        await client.close();
      }
    } finally {
      await store.close();
    }
    expect(readAdvertisedAddress(dir)).to.equal(undefined);
  });
});
