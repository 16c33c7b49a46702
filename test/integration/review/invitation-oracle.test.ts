// An invitation from practice B, not yet answered, is invisible to the admin of practice A: A's user
// page for its clinician reads the same before and after (src/admin/users/shared-identity.ts counts
// only active or deactivated memberships elsewhere). Found by the review as a hole, fixed.
import { expect } from 'chai';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { field } from '../../helpers/browser.js';
import { PASSWORD, startAdminBench, type AdminBench } from '../admin/admin-bench.js';

describe('review: another practice\'s invitation seen by this practice\'s admin', function () {
  this.timeout(90_000);
  let t: AdminBench;
  before(async () => {
    t = await startAdminBench('off');
  });
  after(() => t.close());

  it('the admin of A sees the same user page for their clinician before and after B invites them (not yet answered)', async () => {
    const clinician = await t.bench.server.createUser({ practiceId: t.practiceId, email: 'recruited@seaside.test', name: 'Rae Recruited', password: PASSWORD, role: 'clinician' });
    const userPage = async () => (await t.browser.get(t.url(`/admin/users/${String(clinician._id)}`))).html.replace(/name="_csrf" value="[^"]*"/g, '');
    const before = await userPage();

    const b = await adminSignIn(t.bench, t.otherAdmin, PASSWORD, '/admin/users/new');
    const invited = await b.browser.post(t.url('/admin/users'), { _csrf: field(b.page.html, '_csrf'), name: 'Rae Recruited', email: clinician.email, role: 'clinician' });
    expect(invited.status, 'B invited the address').to.equal(303);
    expect((await t.bench.server.models.Membership.findOne({ userId: clinician._id, practiceId: t.otherPracticeId }).lean())?.status).to.equal('invited');

    const after = await userPage();
    expect(before).to.not.include('id="identity-shared"');
    expect(after.includes('id="identity-shared"'), 'A\'s page says the person works for another practice').to.equal(false);
    expect(after, 'A\'s page for its clinician').to.equal(before);
  });
});
