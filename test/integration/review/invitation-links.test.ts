// Attacks on invitation links that hold: two practices invite one new address; the person chooses a
// password with B's set-password link. A's set-password link, still within its 72 hours, can no
// longer set the (now existing) identity's password: it is refused like any used link, and A's
// membership stays invited (the person joins A only by answering A's invitation while signed in).
import { expect } from 'chai';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { Browser, field } from '../../helpers/browser.js';
import { PASSWORD, startAdminBench, type AdminBench } from '../admin/admin-bench.js';

const LINK = /https?:\/\/[^\s]+\/password-reset\/invitation\/[A-Za-z0-9_-]{43}/;

describe('review: a set-password invitation link after the identity has a password', function () {
  this.timeout(90_000);
  let t: AdminBench;
  before(async () => {
    t = await startAdminBench('risk');
  });
  after(() => t.close());

  it('A\'s set-password link stops working once B\'s has set the password, and joins nothing', async () => {
    const email = 'two.offers@newcomer.test';
    expect((await t.post('/admin/users', { name: 'Two Offers', email, role: 'clinician' })).status).to.equal(303);
    const fromA = new URL(LINK.exec((await t.bench.mail.nextTo(email)).text)![0]).pathname;
    const b = await adminSignIn(t.bench, t.otherAdmin, PASSWORD, '/admin/users/new');
    expect((await b.browser.post(t.url('/admin/users'), { _csrf: field(b.page.html, '_csrf'), name: 'Two Offers', email, role: 'staff' })).status).to.equal(303);
    const fromB = new URL(LINK.exec((await t.bench.mail.nextTo(email)).text)![0]).pathname;
    expect(fromB).to.not.equal(fromA);

    const person = new Browser();
    const formB = await person.get(t.url(fromB));
    const set = await person.post(t.url(fromB), { _csrf: field(formB.html, '_csrf'), password: PASSWORD, confirm: PASSWORD });
    expect(set.status, 'B\'s link sets the password').to.equal(303);
    const identity = (await t.bench.server.models.User.findOne({ email }).lean())!;
    const hash = identity.passwordHash;

    const attacker = new Browser();
    const formA = await attacker.get(t.url(fromA));
    expect(formA.status, 'A\'s link now').to.equal(400);
    const csrf = field((await attacker.get(t.url('/password-reset'))).html, '_csrf');
    const posted = await attacker.post(t.url(fromA), { _csrf: csrf, password: 'Another-Long-Passphrase-42!', confirm: 'Another-Long-Passphrase-42!' });
    expect(posted.status).to.equal(400);
    expect((await t.bench.server.models.User.findById(identity._id).lean())!.passwordHash, 'the password B\'s link set').to.equal(hash);
    const statuses = await t.bench.server.models.Membership.find({ userId: identity._id }).lean();
    expect(Object.fromEntries(statuses.map((m) => [String(m.practiceId), m.status]))).to.deep.equal({ [String(t.practiceId)]: 'invited', [String(t.otherPracticeId)]: 'active' });
  });
});
