// Cross-site requests against the new forms of issue 19 that hold: a page elsewhere that makes the
// signed-in person's browser post the invitation link's "accept", the /account practices list's
// "accept", "leave" or "default practice", or the chooser's answer, without this browser's CSRF
// token (or with one from another browser) changes nothing; the same forms with the token work.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { Browser, field, formAction } from '../../helpers/browser.js';
import { isCodePage, passwordStep, REDIRECT, submitCode } from '../../helpers/mfa.js';
import { PASSWORD, startAdminBench, type AdminBench } from '../admin/admin-bench.js';

const LINK = /https?:\/\/[^\s]+\/account\/invitations\/[A-Za-z0-9_-]{43}/;

describe('review: the membership forms refuse cross-site posts', function () {
  this.timeout(90_000);
  let t: AdminBench;
  before(async () => {
    t = await startAdminBench('risk');
  });
  after(() => t.close());

  const membership = async (userId: Types.ObjectId, practiceId: Types.ObjectId) => (await t.bench.server.models.Membership.findOne({ userId, practiceId }).lean())?.status;

  it('the invitation link\'s accept and the practices list\'s accept, leave and default practice need this browser\'s token', async () => {
    const person = await t.bench.server.createUser({ practiceId: t.otherPracticeId, email: 'csrf.person@hilltop.test', name: 'Cee Person', password: PASSWORD });
    expect((await t.post('/admin/users', { name: 'Cee Person', email: person.email, role: 'staff' })).status).to.equal(303);
    const path = new URL(LINK.exec((await t.bench.mail.nextTo(person.email)).text)![0]).pathname;
    const own = await adminSignIn(t.bench, person, PASSWORD, path, '198.51.100.91');
    const stranger = new Browser();
    const foreignToken = field((await stranger.get(t.url('/password-reset'))).html, '_csrf');
    const url = (p: string) => t.url(p);

    for (const token of [undefined, foreignToken, 'x.y']) {
      const form: Record<string, string> = token ? { _csrf: token } : {};
      expect((await own.browser.post(url(path), { ...form, action: 'accept' })).status, `link accept, token ${String(token)}`).to.equal(403);
      expect((await own.browser.post(url(`/account/practices/${String(t.practiceId)}/accept`), form)).status, 'list accept').to.equal(403);
      expect((await own.browser.post(url('/account/practices/default'), { ...form, practice: String(t.otherPracticeId) })).status, 'default').to.equal(403);
    }
    expect(await membership(person._id, t.practiceId), 'still only invited').to.equal('invited');
    expect((await t.bench.server.models.User.findById(person._id).lean())?.defaultPracticeId ?? null).to.equal(null);

    const accepted = await own.browser.post(url(path), { _csrf: field(own.page.html, '_csrf'), action: 'accept' });
    expect(accepted.location).to.include('/account/practices?notice=joined');
    expect(await membership(person._id, t.practiceId)).to.equal('active');

    for (const token of [undefined, foreignToken]) {
      expect((await own.browser.post(url(`/account/practices/${String(t.practiceId)}/leave`), token ? { _csrf: token, confirmed: 'yes' } : { confirmed: 'yes' })).status, 'leave').to.equal(403);
    }
    expect(await membership(person._id, t.practiceId), 'still a member').to.equal('active');
  });

  it('the practice chooser\'s answer needs this browser\'s token', async () => {
    const person = await t.bench.server.createUser({ practiceId: t.practiceId, email: 'csrf.chooser@seaside.test', name: 'Cee Chooser', password: PASSWORD });
    await t.bench.server.idp.accounts.memberships.addMembership({ userId: person._id, practiceId: t.otherPracticeId, role: 'clinician' });
    const browser = new Browser();
    const attempt = await passwordStep(browser, t.bench.charting, person.email, PASSWORD);
    expect(attempt.page.html, 'the chooser').to.include('Hilltop Clinic');
    const action = formAction(attempt.page, '/practice');
    const foreignToken = field((await new Browser().get(t.url('/password-reset'))).html, '_csrf');
    for (const form of [{}, { _csrf: foreignToken }] as Record<string, string>[]) {
      expect((await browser.post(action, { ...form, practice: String(t.otherPracticeId) })).status).to.equal(403);
    }
    expect(await t.bench.server.models.PracticeEntry.countDocuments({ accountId: person.sub })).to.equal(0);
    const chosen = await browser.follow(await browser.post(action, { _csrf: field(attempt.page.html, '_csrf'), practice: String(t.otherPracticeId) }), REDIRECT);
    const back = isCodePage(chosen) ? await browser.follow(await submitCode(browser, chosen, (await t.bench.mail.nextTo(person.email)).code!), REDIRECT) : chosen;
    expect(back.location).to.match(/^http:\/\/127\.0\.0\.1:4\/callback\?code=/);
  });
});
