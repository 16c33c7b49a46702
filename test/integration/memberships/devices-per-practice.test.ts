// Known devices per practice (issue 19: admins never see another practice's devices). A person in
// practices A and B (both asking a code for a new device): a browser used only for B is not on A's
// admin page, A's "forget known devices" removes only A's knowledge of a browser used for both, so
// B's risk rules still know it (no code) while A asks again. The person's own /account lists all.
import { expect } from 'chai';
import { createMemberships } from '../../../src/accounts/memberships.js';
import type { UserDoc } from '../../../src/accounts/service.js';
import type { Browser } from '../../helpers/browser.js';
import { browserAt, finishAt, isCodePage, passwordStep, submitCode } from '../../helpers/mfa.js';
import { openSignedIn } from '../account/bench.js';
import { PASSWORD, startAdminBench, type AdminBench } from '../admin/admin-bench.js';
import { cliEnv, expectOk, runCli } from '../cli/run-cli.js';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1';

describe('memberships: known devices per practice', function () {
  this.timeout(120_000);
  let ctx: AdminBench;
  before(async () => {
    ctx = await startAdminBench('risk');
  });
  after(() => ctx.close());

  /** A new sign-in (a new session) on `device`, entering the hinted practice; whether a code was asked. */
  async function signInOn(device: Browser, person: UserDoc, practiceId: unknown): Promise<boolean> {
    return (await signInWith(device, person, practiceId)).asked;
  }

  async function signInWith(device: Browser, person: UserDoc, practiceId: unknown): Promise<{ asked: boolean; browser: Browser }> {
    const browser = browserAt(String(device.from), device);
    browser.userAgent = device.userAgent;
    const attempt = await passwordStep(browser, ctx.bench.charting, person.email, PASSWORD, { practice_hint: String(practiceId) });
    const asked = isCodePage(attempt.page);
    const page = asked ? await submitCode(browser, attempt.page, (await ctx.bench.mail.nextTo(person.email)).code!) : attempt.page;
    await finishAt(browser, attempt, ctx.bench.charting, page);
    // The device cookie the sign-in set (or kept) is the device's.
    for (const [name, value] of browser.cookies()) if (name.startsWith('idp.device')) device.cookies().set(name, value);
    return { asked, browser };
  }

  const tagsOf = async (person: UserDoc) => (await ctx.bench.server.models.KnownDevice.find({ userId: person._id }).lean())
    .map((device) => ({ label: device.label, practices: (device.practiceIds ?? []).map(String).sort() }))
    .sort((a, b) => a.label.localeCompare(b.label));

  it('A\'s admin sees and forgets only A\'s devices; B\'s risk rules keep knowing theirs; /account lists all', async () => {
    const { server } = ctx.bench;
    const [A, B] = [String(ctx.practiceId), String(ctx.otherPracticeId)];
    const person = await server.createUser({ practiceId: ctx.practiceId, email: 'two-clinics@seaside.test', name: 'Two Clinics', password: PASSWORD });
    await createMemberships({ models: server.models }).addMembership({ userId: person._id, practiceId: ctx.otherPracticeId, role: 'clinician' });
    const phone = browserAt('198.51.100.77');
    phone.userAgent = IPHONE;
    const laptop = browserAt('198.51.100.78');

    expect(await signInOn(phone, person, B), 'a new device entering B').to.equal(true);
    const inA = await signInWith(laptop, person, A);
    expect(inA.asked, 'a new device entering A').to.equal(true);
    expect(await tagsOf(person)).to.deep.equal([{ label: 'Firefox on Windows', practices: [A] }, { label: 'Safari on iOS', practices: [B] }]);

    // A's admin: one device, nothing of the phone used only for B (its label, address, user agent).
    const page = (await ctx.browser.get(ctx.url(`/admin/users/${String(person._id)}`))).html;
    expect(page).to.include('Known devices: 1.');
    expect(page).not.to.include('Safari').and.not.include('iOS').and.not.include('198.51.100.77').and.not.include('iPhone');
    const asked = await ctx.post(`/admin/users/${String(person._id)}/forget-devices`);
    expect(asked.html).to.include('The 1 device where Two Clinics completed a two-step sign-in');
    // The person's own page lists both.
    const own = await openSignedIn(ctx.bench, inA.browser, person, '/account/devices');
    expect(own.html).to.include('Safari on iOS').and.include('Firefox on Windows').and.include('198.51.100.77');

    // The phone is used for A too: A did not know it, so A asks a code (B's knowledge does not waive A's).
    expect(await signInOn(phone, person, A), 'the B phone entering A').to.equal(true);
    expect((await ctx.browser.get(ctx.url(`/admin/users/${String(person._id)}`))).html).to.include('Known devices: 2.');

    // A forgets all it knows: the laptop (A only) is gone, the phone keeps B.
    expect((await ctx.post(`/admin/users/${String(person._id)}/forget-devices`, { confirmed: 'yes' })).status).to.equal(303);
    expect(await tagsOf(person)).to.deep.equal([{ label: 'Safari on iOS', practices: [B] }]);
    const [forgotten] = await ctx.audited('device.forgotten', person.sub);
    expect(forgotten).to.deep.include({ practiceId: A, details: { before: { knownDevices: 2 }, after: { knownDevices: 0 } } });
    expect((await ctx.browser.get(ctx.url(`/admin/users/${String(person._id)}`))).html).to.include('Known devices: 0.');

    // B still knows the phone: no code. A asks again.
    expect(await signInOn(phone, person, B), 'B after A forgot').to.equal(false);
    expect(await signInOn(phone, person, A), 'A after A forgot').to.equal(true);
    expect(await tagsOf(person)).to.deep.equal([{ label: 'Safari on iOS', practices: [A, B].sort() }]);

    // The operator: --practice forgets one practice's knowledge; without it, every device.
    const env = cliEnv({ MONGODB_URI: server.store.uri, ISSUER: server.issuer, ...ctx.bench.mail.env(), ...ctx.bench.sms.env() });
    expect(expectOk(await runCli(['mfa', 'forget-devices', '--email', person.email, '--practice', B], env)).stdout).to.equal('Forgot 1 known browser of two-clinics@seaside.test in Hilltop Clinic\n');
    expect(await tagsOf(person)).to.deep.equal([{ label: 'Safari on iOS', practices: [A] }]);
    expect(expectOk(await runCli(['mfa', 'forget-devices', '--email', person.email], env)).stdout).to.equal('Forgot 1 known browser of two-clinics@seaside.test\n');
    expect(await tagsOf(person)).to.deep.equal([]);
  });
});
