// An admin sets a user's FHIR resource (SMART fhirUser) on the profile page: validated, audited,
// within the admin's practice only.
import { expect } from 'chai';
import { startAdminBench, type AdminBench } from '../admin/admin-bench.js';

describe('smart: fhirUser set by an admin', function () {
  this.timeout(60_000);
  let ctx: AdminBench;
  before(async () => (ctx = await startAdminBench()));
  after(() => ctx.close());

  it('saves a valid reference, refuses a malformed one, clears it, and cannot touch another practice', async () => {
    const { server } = ctx.bench;
    const dana = await server.createUser({ practiceId: ctx.practiceId, email: 'dana@seaside.test' });
    const path = `/admin/users/${String(dana._id)}`;
    expect((await ctx.browser.get(ctx.url(`${path}/profile`))).html).to.include('name="fhirUser"');

    expect((await ctx.post(`${path}/fhir-user`, { fhirUser: 'Practitioner/dr-7' })).status).to.equal(303);
    expect((await server.models.User.findById(dana._id).lean())?.fhirUser).to.equal('Practitioner/dr-7');
    const [entry] = (await ctx.audited('admin.user.updated', dana.sub)).slice(-1);
    expect(entry?.details).to.deep.include({ fhirUser: { before: null, after: 'Practitioner/dr-7' } });

    const bad = await ctx.post(`${path}/fhir-user`, { fhirUser: 'https://evil.example.org/x' });
    expect(bad.status).to.equal(400);
    expect(bad.html).to.include('is not a FHIR user reference');
    expect((await server.models.User.findById(dana._id).lean())?.fhirUser).to.equal('Practitioner/dr-7');

    expect((await ctx.post(`${path}/fhir-user`, { fhirUser: '' })).status).to.equal(303);
    expect((await server.models.User.findById(dana._id).lean())?.fhirUser).to.equal(undefined);

    const outsider = await server.createUser({ practiceId: ctx.otherPracticeId, email: 'olly@hilltop.test' });
    expect((await ctx.post(`/admin/users/${String(outsider._id)}/fhir-user`, { fhirUser: 'Practitioner/1' })).status).to.equal(404);
    expect((await server.models.User.findById(outsider._id).lean())?.fhirUser).to.equal(undefined);
  });
});
