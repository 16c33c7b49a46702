// A grant not bound to a practice (no practice_entries record) answers for nothing: a refresh token
// issued in practice A whose entry is missing never answers for the person's other practice, also
// once A's membership is deactivated (src/oidc/account.ts `membershipFor`; a hole the review found:
// it answered for whichever practice was the only active one). The start-up migration binds grants
// from before memberships to the practice they were issued in (test/integration/memberships/migration.test.ts).
// The entry-less grant is made here by removing the entry the sign-in wrote.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { Browser } from '../../helpers/browser.js';
import { passwordStep } from '../../helpers/mfa.js';
import { exchange, untilCallback } from '../../helpers/rp.js';
import { PASSWORD, startTwinBench, expectOk, type TwinBench } from '../commands/bench.js';

describe('review: a grant from before memberships', function () {
  this.timeout(90_000);
  let t: TwinBench;
  before(async () => {
    t = await startTwinBench();
  });
  after(() => t.close());

  it('a refresh token issued in practice A before the upgrade answers nothing once the person is deactivated in A, never for their other practice', async () => {
    const person = await t.bench.server.createUser({ practiceId: t.practiceId, email: 'legacy.grant@seaside.test', name: 'Legacy Grant', password: PASSWORD, role: 'clinician' });
    const browser = new Browser({ from: '203.0.113.81' });
    const attempt = await passwordStep(browser, t.records, person.email, PASSWORD, { scope: 'openid profile offline_access', prompt: 'consent' });
    const tokens = await exchange(t.records, attempt.start, await untilCallback(browser, t.records, attempt.page));
    // As if issued before the upgrade: no record of the practice it entered.
    expect((await t.bench.server.models.PracticeEntry.deleteMany({ accountId: person.sub })).deletedCount).to.equal(1);

    // Later: B takes the person on as an admin, and A lets them go.
    await t.bench.server.idp.accounts.memberships.addMembership({ userId: person._id, practiceId: t.otherPracticeId, role: 'admin' });
    expectOk(await t.cli(['memberships', 'deactivate', '--practice', String(t.practiceId), '--email', person.email]));

    const refreshed = await oidc.refreshTokenGrant(t.records.config, tokens.refresh_token!).catch((err: Error) => err);
    const answered = refreshed instanceof Error ? null : await oidc.fetchUserInfo(t.records.config, refreshed.access_token, person.sub);
    expect(answered?.practice ?? null, 'the practice A\'s old token answers for').to.equal(null);
    expect(refreshed, 'A\'s refresh token after deactivation in A').to.be.instanceOf(Error);
  });
});
