/**
 * The embedded store's production size limit is one number: the constant the production warning
 * uses (src/store/connection.ts), the size the README documents, and the size the published scale
 * run measured (bench/results/scale-100k.json: users + provider records + session activity).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { EMBEDDED_STORE_MAX_DOCUMENTS } from '../../src/store/connection.js';

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
});
