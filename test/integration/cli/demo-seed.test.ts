// ensureDemoData against a real store: idempotent across starts, fresh client secrets each start,
// demo credentials that really sign in, and never in production.
import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { authenticatePassword } from '../../../src/accounts/authenticate.js';
import { createPasswordHasher } from '../../../src/accounts/password.js';
import { createAccountService } from '../../../src/accounts/service.js';
import { ensureDemoData, printDemoBanner, type DemoSeedDeps } from '../../../src/demo/seed.js';
import { verifyClientSecret } from '../../../src/oidc/clients.js';
import { openConnection } from '../../../src/store/connection.js';
import { createModels, ensureIndexes, type Models } from '../../../src/store/models/index.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';

describe('demo data (ensureDemoData)', () => {
  let store: StoreUnderTest;
  let connection: Connection;
  let models: Models;
  let deps: DemoSeedDeps;
  const hasher = createPasswordHasher({ memoryKiB: 19_456, timeCost: 2, parallelism: 1 });

  before(async () => {
    store = await storeUnderTest();
    connection = await openConnection(store.uri);
    models = createModels(connection);
    await ensureIndexes(models);
    deps = { models, accounts: createAccountService({ models, hasher }) };
  });
  after(async () => {
    await connection?.close();
    await store?.close();
  });

  it('creates the demo once, re-issues client secrets on every run, and its credentials sign in', async () => {
    const logged: string[] = [];
    const first = await ensureDemoData({ ...deps, logger: { info: (message) => logged.push(message) } });
    const second = await ensureDemoData(deps);

    expect(await models.Practice.countDocuments()).to.equal(1);
    expect(await models.Membership.countDocuments({ practiceId: first.practice.id, status: 'active' })).to.equal(2);
    expect(await models.Client.countDocuments()).to.equal(2);
    expect(second.practice).to.deep.equal(first.practice);
    expect(first.practice.name).to.equal('Demo Family Practice');
    expect(logged).to.have.length(5).and.satisfy((lines: string[]) => lines.every((line) => !line.includes(first.admin.password) && !line.includes(first.clinician.password)));

    for (const module of ['charting', 'billing'] as const) {
      const stored = await models.Client.findById(second.clients[module].clientId).lean();
      expect(second.clients[module].clientSecret).not.to.equal(first.clients[module].clientSecret);
      expect(verifyClientSecret(stored!.secretHash!, second.clients[module].clientSecret)).to.equal(true);
      expect(verifyClientSecret(stored!.secretHash!, first.clients[module].clientSecret)).to.equal(false);
      expect(stored).to.include({ authMethod: 'client_secret_basic', firstParty: true });
    }
    const charting = await models.Client.findById(first.clients.charting.clientId).lean();
    expect(charting).to.deep.include({
      redirectUris: ['http://localhost:3001/callback'],
      postLogoutRedirectUris: ['http://localhost:3001/'],
      backchannelLogoutUri: 'http://localhost:3001/backchannel-logout',
    });

    for (const { email, password } of [second.admin, second.clinician]) {
      expect(await authenticatePassword({ models, hasher }, email, password)).to.include({ ok: true });
    }
    expect((await deps.accounts.findUserByEmail(second.admin.email))?.role).to.equal('admin');
    expect((await deps.accounts.findUserByEmail(second.clinician.email))?.role).to.equal('clinician');
  });

  it('follows the demo modules to other ports', async () => {
    const moved = await ensureDemoData({ ...deps, ports: { billing: 4002 } });
    const billing = await models.Client.findById(moved.clients.billing.clientId).lean();
    expect(billing).to.deep.include({
      redirectUris: ['http://localhost:4002/callback'],
      postLogoutRedirectUris: ['http://localhost:4002/'],
      backchannelLogoutUri: 'http://localhost:4002/backchannel-logout',
    });
    expect(await models.Client.countDocuments()).to.equal(2);
  });

  it('refuses to run in production', async () => {
    const error = await ensureDemoData({ ...deps, nodeEnv: 'production' }).then(() => null, (err: Error) => err);
    expect(error).to.be.instanceOf(Error).and.have.property('code', 'demo_in_production');
  });

  it('prints the URLs and the demo credentials, never a client secret', async () => {
    const data = await ensureDemoData(deps);
    const lines: string[] = [];
    printDemoBanner(data, { provider: 'http://localhost:3000', charting: 'http://localhost:3001', billing: 'http://localhost:3002' }, (line) => lines.push(line));
    const banner = lines.join('\n');
    for (const text of ['http://localhost:3000', 'http://localhost:3001', 'http://localhost:3002', data.admin.email, data.admin.password, data.clinician.email, data.clinician.password]) {
      expect(banner).to.contain(text);
    }
    expect(banner).not.to.contain(data.clients.charting.clientSecret).and.not.to.contain(data.clients.billing.clientSecret);
  });
});
