// No change without its entry (intent-first, src/audit/change.ts), through the real surfaces: an
// admin form and an operator command. The store is made to refuse the intent entry (a unique
// index that only `change.requested` entries trip, as a full disk or a revoked write grant on the
// audit collection would): the admin gets 503 "try again", the command fails, nothing is applied.
import { expect } from 'chai';
import type { UserDoc } from '../../../src/accounts/service.js';
import { cliEnv, runCli } from '../cli/run-cli.js';
import { startAdminBench, type AdminBench } from '../admin/admin-bench.js';

describe('audit: intent-first admin and operator changes', function () {
  this.timeout(60_000);
  let ctx: AdminBench;
  let dana: UserDoc;
  const idOf = (user: UserDoc) => String(user._id);
  const entries = () => ctx.bench.server.connection.db!.collection('audit_entries');

  before(async () => {
    ctx = await startAdminBench();
    dana = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'dana@seaside.test', name: 'Dana Doctor', role: 'clinician' });
  });
  after(() => ctx?.close());

  it('records the intent before the change and the change after it; a refused change is recorded as not applied', async () => {
    expect((await ctx.post(`/admin/users/${idOf(dana)}/profile`, { name: 'Dana Doctor-Lee', role: 'clinician' })).status).to.equal(303);
    const [intent] = await ctx.audited('change.requested', dana.sub);
    const [done] = await ctx.audited('admin.user.updated', dana.sub);
    expect(intent).to.deep.include({ outcome: 'info', actor: { sub: ctx.admin.sub, role: 'admin' }, details: { change: 'admin.user.updated' } });
    expect(done!.seq).to.be.above(intent!.seq as number);

    // A form mistake: the change is refused after its intent was recorded, and the log says so.
    expect((await ctx.post(`/admin/users/${idOf(dana)}/profile`, { name: '   ', role: 'clinician' })).status).to.equal(400);
    const refused = (await ctx.audited('change.not_applied', dana.sub)).at(-1);
    expect(refused).to.deep.include({ outcome: 'failure', reasons: ['invalid_input'] });
    expect(refused!.details).to.deep.include({ change: 'admin.user.updated' });
  });

  describe('when the audit write fails', () => {
    before(async () => {
      // One intent stored raw, then a unique index on the event among intents: the next intent is
      // refused. (The earlier intents go first, or the index could not be built; the chain does not matter here.)
      await entries().deleteMany({ event: 'change.requested' });
      await entries().insertOne({ seq: 1e9, event: 'change.requested', kid: 'fault', hash: '0'.repeat(64), note: 'fault injection' });
      await entries().createIndex({ event: 1 }, { unique: true, partialFilterExpression: { event: 'change.requested' }, name: 'fault_refuse_intents' });
    });
    after(async () => {
      await entries().dropIndex('fault_refuse_intents');
      await entries().deleteOne({ seq: 1e9 });
    });

    it('an admin change answers 503 and changes nothing', async () => {
      const before = await entries().countDocuments();
      const page = await ctx.post(`/admin/users/${idOf(dana)}/profile`, { name: 'Mallory Renamed', role: 'staff' });
      expect(page.status).to.equal(503);
      expect(page.html).to.include('Please try again.');
      expect(await ctx.bench.server.models.User.findById(dana._id).lean()).to.deep.include({ name: 'Dana Doctor-Lee', email: 'dana@seaside.test' });
      expect(await ctx.bench.server.models.Membership.findOne({ userId: dana._id }).lean()).to.deep.include({ role: 'clinician' });

      const deactivate = await ctx.post(`/admin/users/${idOf(dana)}/deactivate`, { confirmed: 'yes' });
      expect(deactivate.status).to.equal(503);
      expect(await ctx.bench.server.models.Membership.findOne({ userId: dana._id }).lean()).to.deep.include({ status: 'active' });
      expect(await entries().countDocuments()).to.equal(before);
    });

    it('an operator command fails and changes nothing', async () => {
      const env = cliEnv({ MONGODB_URI: ctx.bench.server.store.uri });
      const result = await runCli(['trusted-ips', 'add', '--practice', String(ctx.practiceId), '--ip', '198.51.100.0/24'], env);
      expect(result).to.include({ code: 1, stdout: '' });
      expect(await ctx.bench.server.models.TrustedIp.countDocuments({ practiceId: ctx.practiceId })).to.equal(0);
    });
  });
});
