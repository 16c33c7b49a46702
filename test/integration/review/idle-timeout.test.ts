// One practice's idle time-out is not defeated through another's (a hole the review found, fixed):
// use is recorded per practice entered, and a practice's idle time-out counts only use under a rule
// at least as strict as its own (src/sessions/activity.ts). A request entering the lax practice
// does not revive a sign-in idle past the strict practice's limit; use of the strict practice does
// keep the lax one alive (its limit is longer).
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { Browser } from '../../helpers/browser.js';
import { authorize, passwordStep, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { exchange, untilCallback } from '../../helpers/rp.js';
import { PASSWORD } from '../account/bench.js';

const MINUTE = 60_000;

describe('review: one practice\'s idle time-out and another\'s', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  let lax: Types.ObjectId; // 60 idle minutes
  let strict: Types.ObjectId; // 15 idle minutes

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'off' });
    lax = (await bench.server.createPractice({ name: 'Harbor Clinic', mfaPolicy: 'off' }))._id;
    strict = (await bench.server.createPractice({ name: 'Valley Clinic', mfaPolicy: 'off' }))._id;
    await bench.server.models.Practice.updateOne({ _id: lax }, { $set: { sessionIdleMinutes: 60 } });
    await bench.server.models.Practice.updateOne({ _id: strict }, { $set: { sessionIdleMinutes: 15 } });
  });
  after(() => bench.close());

  const silently = async (browser: Browser, practiceId: Types.ObjectId) => {
    const { page } = await authorize(browser, bench.charting, { practice_hint: String(practiceId), prompt: 'none' });
    const back = new URL(page.location!).searchParams;
    return back.get('code') ? 'code' : back.get('error');
  };

  it('a sign-in idle past the strict practice\'s time-out is not revived for it by a request entering the lax practice', async () => {
    const user = await bench.server.createUser({ practiceId: lax, email: 'idle.locum@clinic.test', password: PASSWORD, role: 'clinician' });
    await bench.server.idp.accounts.memberships.addMembership({ userId: user._id, practiceId: strict, role: 'clinician' });
    const browser = new Browser();
    const first = await passwordStep(browser, bench.charting, user.email, PASSWORD, { practice_hint: String(strict) });
    await exchange(bench.charting, first.start, await untilCallback(browser, bench.charting, first.page));

    bench.server.clock.advance(20 * MINUTE);
    expect(await silently(browser, strict), 'Valley: 20 idle minutes are past its 15').to.equal('login_required');
    expect(await silently(browser, lax), 'Harbor: within its 60').to.equal('code');
    expect(await silently(browser, strict), 'Valley: still 20 minutes since its last use in Valley').to.equal('login_required');
  });

  it('use of the strict practice keeps the lax one alive; a fresh sign-in restarts both clocks', async () => {
    const user = await bench.server.createUser({ practiceId: lax, email: 'busy.locum@clinic.test', password: PASSWORD, role: 'clinician' });
    await bench.server.idp.accounts.memberships.addMembership({ userId: user._id, practiceId: strict, role: 'clinician' });
    const browser = new Browser();
    const first = await passwordStep(browser, bench.charting, user.email, PASSWORD, { practice_hint: String(lax) });
    await exchange(bench.charting, first.start, await untilCallback(browser, bench.charting, first.page));
    for (let i = 0; i < 5; i++) {
      bench.server.clock.advance(14 * MINUTE);
      expect(await silently(browser, strict), `Valley used every 14 minutes (${i})`).to.equal('code');
    }
    expect(await silently(browser, lax), 'Harbor: 70 minutes since its own last use, but Valley was in use').to.equal('code');
    bench.server.clock.advance(16 * MINUTE);
    expect(await silently(browser, strict), 'Valley: 16 idle minutes').to.equal('login_required');
    expect(await silently(browser, lax), 'Harbor: within its 60').to.equal('code');
  });
});
