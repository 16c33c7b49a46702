// An admin of practice A reaching practice B through a person who works for both (a hole the review
// found, fixed): "Sign out everywhere" on A's user page ends only the sign-ins that entered A
// (src/commands/end-sessions.ts, `entriesThrough` as deactivation does): B's sign-in, grant and
// module stay, and A's audit entry counts none of B's sign-ins. The operator (CLI) still ends all.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { Browser } from '../../helpers/browser.js';
import { finishAt, isCodePage, passwordStep, submitCode } from '../../helpers/mfa.js';
import { PASSWORD, startTwinBench, type TwinBench } from '../commands/bench.js';

describe('review: an admin of one practice reaching another through a shared person', function () {
  this.timeout(90_000);
  let t: TwinBench;
  before(async () => {
    t = await startTwinBench();
  });
  after(() => t.close());

  async function signInThrough(email: string, practiceId: Types.ObjectId, from: string): Promise<void> {
    const browser = new Browser({ from });
    const attempt = await passwordStep(browser, t.records, email, PASSWORD, { practice_hint: String(practiceId) });
    const page = isCodePage(attempt.page) ? await submitCode(browser, attempt.page, (await t.bench.mail.nextTo(email)).code!) : attempt.page;
    await finishAt(browser, attempt, t.records, page);
  }

  it('"sign out everywhere" by the admin of A ends only the sign-ins that entered A: B\'s sign-in, grant and module stay, and A\'s log counts nothing of B', async () => {
    const person = await t.bench.server.createUser({ practiceId: t.practiceId, email: 'shared.reach@seaside.test', name: 'Shared Reach', password: PASSWORD });
    await t.bench.server.idp.accounts.memberships.addMembership({ userId: person._id, practiceId: t.otherPracticeId, role: 'clinician' });
    await signInThrough(person.email, t.otherPracticeId, '203.0.113.71');
    const inB = (await t.bench.server.models.PracticeEntry.find({ accountId: person.sub, practiceId: t.otherPracticeId }).lean()).map((entry) => entry._id);
    expect(inB, 'a grant entered B').to.have.length(1);
    t.loggedOut.length = 0;

    const done = await t.post(`/admin/users/${String(person._id)}/end-sessions`, { confirmed: 'yes' });
    expect(done.status).to.equal(303);

    expect(await t.sessionsOf(person.sub), 'the sign-in that entered B').to.equal(1);
    expect(await t.bench.server.models.OidcRecord.collection.countDocuments({ _id: `Grant:${inB[0]}` } as never), 'B\'s module grant').to.equal(1);
    expect(t.loggedOut, 'B\'s module told nothing').to.deep.equal([]);
    const [entry] = await t.audited('session.ended_everywhere', person.sub);
    expect(entry?.practiceId).to.equal(String(t.practiceId));
    expect((entry!.details as { before?: { sessions?: number } }).before?.sessions, 'A\'s log counts none of B\'s sign-ins').to.equal(0);
  });
});
