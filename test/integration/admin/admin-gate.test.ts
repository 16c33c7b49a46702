// The gate in front of /admin: only an admin of the practice, only at the MFA level (a password-only
// session is stepped up with a code), and every form needs its CSRF token.
import { expect } from 'chai';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { Browser, field } from '../../helpers/browser.js';
import { finishAt, isCodePage, passwordStep, submitCode } from '../../helpers/mfa.js';
import { PASSWORD, startAdminBench, type AdminBench } from './admin-bench.js';

describe('admin: gate', () => {
  let ctx: AdminBench;

  before(async () => {
    ctx = await startAdminBench('off');
  });
  after(() => ctx?.close());

  it('refuses a signed-in user who is not an admin with 403', async () => {
    const clerk = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'clerk@seaside.test', role: 'staff', password: PASSWORD });
    const { browser, page } = await adminSignIn(ctx.bench, clerk, PASSWORD, '/admin/users');
    expect(page.status).to.equal(403);
    expect(page.html).to.include('This page is for practice administrators.');
    for (const path of ['/admin/security', '/admin/users/new', `/admin/users/${String(ctx.admin._id)}`]) {
      expect((await browser.get(ctx.url(path))).status, path).to.equal(403);
    }
  });

  it('steps a password-only admin session up to a code before showing any admin page', async () => {
    const browser = new Browser({ from: '198.51.100.30' });
    // A module sign-in in a practice without MFA: password only.
    const attempt = await passwordStep(browser, ctx.bench.charting, ctx.admin.email, PASSWORD);
    expect(isCodePage(attempt.page), 'no code for the module').to.equal(false);
    await finishAt(browser, attempt, ctx.bench.charting);

    const gate = await browser.get(ctx.url('/admin/security'));
    expect(gate.status).to.equal(303);
    expect(new URL(gate.location!).searchParams.get('acr_values')).to.be.a('string').and.not.equal('');
    const codePage = await browser.follow(gate);
    expect(isCodePage(codePage), 'code page').to.equal(true);
    const page = await browser.follow(await submitCode(browser, codePage, (await ctx.bench.mail.nextTo(ctx.admin.email)).code!));
    expect(page.status).to.equal(200);
    expect(page.url).to.equal(ctx.url('/admin/security'));
    expect(page.html).to.include('Practice security');
  });

  it('shows the admin nav with the admin\'s name and practice', async () => {
    const page = await ctx.browser.get(ctx.url('/admin/users'));
    expect(page.html).to.include('Signed in as Ada Admin · Seaside Clinic');
    for (const link of ['/admin/users', '/admin/security', '/admin/ip-access', '/admin/audit']) expect(page.html).to.include(`href="${link}"`);
  });

  it('refuses a form without a CSRF token, or with a wrong one, and changes nothing', async () => {
    const user = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'csrf.target@seaside.test', name: 'Cass Target', password: PASSWORD });
    const target = `/admin/users/${String(user._id)}`;
    const good = await ctx.csrf();
    const [salt] = good.split('.');
    const forged = `${salt}.${'A'.repeat(43)}`;
    const attempts: Array<[string, Record<string, string>]> = [
      [`${target}/deactivate`, {}],
      [`${target}/deactivate`, { _csrf: forged }],
      [`${target}/deactivate`, { _csrf: 'not-a-token' }],
      [`${target}/profile`, { name: 'Changed', role: 'admin' }],
      [`${target}/email`, { email: 'changed@evil.test' }],
      [`${target}/access`, { _csrf: forged, mfaEnabled: 'on', mfaChannel: 'email' }],
      ['/admin/users', { name: 'Sneaky', email: 'sneaky@seaside.test', role: 'admin' }],
      ['/admin/security', { _csrf: forged, mfaPolicy: 'off', sessionIdleMinutes: '720', minLength: '8' }],
    ];
    // A valid token of another browser (its own CSRF secret) does not pass either.
    const loginPage = await new Browser().follow(await new Browser().get(ctx.url('/admin/users')));
    attempts.push([`${target}/deactivate`, { _csrf: field(loginPage.html, '_csrf') }]);
    const before = await ctx.bench.server.models.Practice.findById(ctx.practiceId).lean();
    for (const [path, form] of attempts) {
      const page = await ctx.browser.post(ctx.url(path), form);
      expect(page.status, path).to.equal(403);
      expect(page.html).to.include('This form has expired');
    }
    expect(await ctx.bench.server.models.User.findById(user._id).lean()).to.include({ name: 'Cass Target' });
    expect(await ctx.bench.server.models.Membership.findOne({ userId: user._id }).lean()).to.include({ role: 'clinician', status: 'active', mfaEnabled: false });
    expect(await ctx.bench.server.models.User.exists({ email: 'sneaky@seaside.test' })).to.equal(null);
    expect(await ctx.bench.server.models.Practice.findById(ctx.practiceId).lean()).to.deep.equal(before);
    expect(await ctx.audited('admin.user.deactivated', user.sub)).to.have.length(0);
  });
});
