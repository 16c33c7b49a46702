/**
 * The embedded store's production size limit is one number: the constant the production warning
 * uses (src/store/connection.ts), the size the README documents, and the size the published scale
 * run measured (bench/results/scale-100k.json: users + provider records + session activity).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { EMBEDDED_STORE_MAX_DOCUMENTS } from '../../src/store/connection.js';
import { startEmbeddedStore } from '../../src/store/embedded/index.js';

describe('embedded store only: the documented size limit', () => {
  const formatted = EMBEDDED_STORE_MAX_DOCUMENTS.toLocaleString('en-US');

  it('the README names the size past which the production warning fires, in the size limit and in the settings table', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).to.include(`past **${formatted} documents**`);
    expect(readme).to.include(`hourly above ${formatted} documents`);
    expect(readme.match(/past \*\*([\d,]+) documents\*\*/g)).to.deep.equal([`past **${formatted} documents**`]);
  });

  it('the published 100k run measured a store of that size (100,000 users, each with a live session)', () => {
    const run = JSON.parse(readFileSync('bench/results/scale-100k.json', 'utf8')) as { users: number; sessions: number; documentsAfterMix: number };
    expect(run.users).to.equal(100_000);
    expect(run.sessions).to.equal(100_000);
    // Users, one provider record and one activity record per session, less the expired 10 % the monitor deleted.
    expect(run.documentsAfterMix).to.be.within(EMBEDDED_STORE_MAX_DOCUMENTS * 0.9, EMBEDDED_STORE_MAX_DOCUMENTS);
  });

  it('the warning writes the limit as the README does (thousands separated), so an operator can search for it', async () => {
    const warnings: string[] = [];
    const store = await startEmbeddedStore({ logger: { info(): void {}, warn: (msg: string): void => void warnings.push(msg) }, ttlSweepIntervalMs: 20, warnAboveDocuments: 1_000 });
    const client = await new MongoClient(store.uriFor('sizing')).connect();
    try {
      await client.db().collection('docs').insertMany(Array.from({ length: 1_001 }, (_, i) => ({ i })));
      const deadline = Date.now() + 5_000;
      while (!warnings.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(warnings[0]).to.match(/^1,001 documents stored, above the 1,000 the embedded store is sized for/);
    } finally {
      await client.close();
      await store.close();
    }
  });
});
