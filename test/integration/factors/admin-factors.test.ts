// An admin sees a user's second factors on the user's page and removes one: audited with the admin
// as actor (intent first), the user emailed. (targetUser keeps it to the admin's own practice.)
import { expect } from 'chai';
import { Browser, field } from '../../helpers/browser.js';
import { startAdminBench, type AdminBench } from '../admin/admin-bench.js';
import { PASSWORD } from '../account/bench.js';
import { enrolAuthenticator } from './bench.js';

describe('factors: the admin user page', function () {
  this.timeout(60_000);
  let ctx: AdminBench;
  before(async () => {
    ctx = await startAdminBench('always');
  });
  after(() => ctx?.close());

  it("shows the user's authenticator app and removes it: audited (intent first, admin as actor) and emailed", async () => {
    const nurse = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'factors.nurse@seaside.test', name: 'Nina Nurse', password: PASSWORD });
    await enrolAuthenticator(ctx.bench, new Browser(), nurse);
    const page = await ctx.browser.get(ctx.url(`/admin/users/${nurse._id}`));
    expect(page.html).to.include('Sign-in methods').and.include('Authenticator app: Authenticator app');
    const factor = (await ctx.bench.server.models.UserFactor.findOne({ userId: nurse._id, kind: 'totp' }).lean())!;
    const done = await ctx.browser.post(ctx.url(`/admin/users/${nurse._id}/factors/${factor._id.toHexString()}/remove`), { _csrf: field(page.html, '_csrf') });
    expect(done.status).to.equal(303);
    expect((await ctx.browser.follow(done)).html).to.include('The sign-in method was removed');
    expect(await ctx.bench.server.models.UserFactor.countDocuments({ userId: nurse._id, kind: 'totp' })).to.equal(0);
    const entries = await ctx.bench.server.models.AuditEntry.find({ userSub: nurse.sub, event: { $in: ['change.requested', 'factor.removed'] } }).sort({ seq: 1 }).lean();
    const removed = entries.find((entry) => entry.event === 'factor.removed' && entry.actor)!;
    expect(removed.actor).to.deep.include({ role: 'admin' });
    expect(removed.details).to.deep.include({ factor: 'totp' });
    expect(entries.findIndex((entry) => entry.event === 'change.requested')).to.be.lessThan(entries.indexOf(removed));
    await ctx.bench.mail.waitFor((mail) => mail.to.includes(nurse.email) && /sign-in method was removed/.test(mail.subject));
  });

  it('removing a factor asks a 6-minute-old admin session for a fresh second factor first, and removes nothing before', async () => {
    const nurse = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'factors.stale@seaside.test', name: 'Sam Stale', password: PASSWORD });
    await enrolAuthenticator(ctx.bench, new Browser(), nurse);
    const page = await ctx.browser.get(ctx.url(`/admin/users/${nurse._id}`));
    const factor = (await ctx.bench.server.models.UserFactor.findOne({ userId: nurse._id, kind: 'totp' }).lean())!;
    ctx.bench.server.clock.advance(6 * 60_000);
    const path = `/admin/users/${nurse._id}/factors/${factor._id.toHexString()}/remove`;
    const done = await ctx.browser.post(ctx.url(path), { _csrf: field(page.html, '_csrf') });
    expect(done.status).to.equal(303);
    expect(new URL(done.location!, ctx.url('/')).pathname, 'back to the form, which asks for the code first').to.equal(path);
    expect(await ctx.bench.server.models.UserFactor.countDocuments({ userId: nurse._id, kind: 'totp' })).to.equal(1);
    expect(await ctx.bench.server.models.AuditEntry.countDocuments({ userSub: nurse.sub, event: 'factor.removed' })).to.equal(0);
  });
});
