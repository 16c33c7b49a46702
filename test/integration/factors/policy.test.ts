// The practice's factor policy: set on /admin/security and by the CLI (same checks, audited with
// exactly what changed; an empty list refused), and obeyed by the sign-in page: a factor the
// practice does not allow is neither offered nor checked, even when the user holds it and a forged
// form names it.
import { expect } from 'chai';
import { Browser, field, formAction } from '../../helpers/browser.js';
import { passwordStep } from '../../helpers/mfa.js';
import { PASSWORD } from '../account/bench.js';
import { startAdminBench, type AdminBench } from '../admin/admin-bench.js';
import { cliOnStore, expectOk } from '../cli/run-cli.js';
import { appCode, enrolAuthenticator } from './bench.js';

describe('factors: practice factor policy', function () {
  this.timeout(60_000);

  describe('on the admin page and at sign-in', () => {
    let ctx: AdminBench;
    before(async () => {
      ctx = await startAdminBench('always');
    });
    after(() => ctx?.close());
    const form = (changes: Record<string, string> = {}) => ({
      mfaPolicy: 'always', trustedIpsBypass: 'on', sessionIdleMinutes: '15', minLength: '12',
      requireUpper: 'on', requireLower: 'on', requireDigit: 'on', requireSpecial: 'on', rejectCommon: 'on', rejectPersonal: 'on',
      factorsOnForm: '1', factor_email: 'on', factor_sms: 'on', factor_totp: 'on', ...changes,
    });

    it('saves the allowed factors (audited); refuses none; a disallowed factor is neither offered nor checked at sign-in', async () => {
      const page = await ctx.browser.get(ctx.url('/admin/security'));
      expect(page.html).to.match(/name="factor_totp" value="on" checked/);
      const none = await ctx.post('/admin/security', form({ factor_email: '', factor_sms: '', factor_totp: '' }));
      expect(none.status).to.equal(400);
      expect(none.html).to.include('Allow at least one way to give the second factor');

      const nurse = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'policy.nurse@seaside.test', password: PASSWORD });
      const key = await enrolAuthenticator(ctx.bench, new Browser(), nurse);

      const saved = await ctx.post('/admin/security', form({ factor_totp: '' }));
      expect(saved.status).to.equal(303);
      expect((await ctx.bench.server.models.Practice.findById(ctx.practiceId).lean())!.factorPolicy!.allowed).to.deep.equal(['email', 'sms']);
      const entry = (await ctx.bench.server.models.AuditEntry.find({ event: 'admin.practice.security_changed' }).sort({ seq: -1 }).lean())[0]!;
      expect(entry.details).to.deep.equal({ before: { allowedFactors: 'email,sms,totp,webauthn' }, after: { allowedFactors: 'email,sms' } });

      ctx.bench.server.clock.advance(60_000);
      const browser = new Browser();
      const attempt = await passwordStep(browser, ctx.bench.charting, nurse.email, PASSWORD);
      expect(attempt.page.html).to.include('by email to').and.not.include('authenticator app').and.not.include('factor=totp');
      // A forged form naming the authenticator app is not checked: the right code does not sign in.
      const forged = await browser.post(formAction(attempt.page, '/verify').replace(/\/verify$/, '/verify-factor'), { _csrf: field(attempt.page.html, '_csrf'), factor: 'totp', code: appCode(ctx.bench, key) });
      expect(forged.status).to.equal(303);
      expect(new URL(forged.location!).pathname).to.match(/^\/interaction\/[^/]+$/);
      expect(await ctx.bench.server.models.AuditEntry.countDocuments({ userSub: nurse.sub, event: 'mfa.factor.verified' })).to.equal(0);
    });
  });

  describe('in the CLI', () => {
    const cli = cliOnStore();
    it('practices security --factors sets the list with the same checks, audited', async () => {
      const { id } = JSON.parse(expectOk(await cli.run(['practices', 'create', '--name', 'Policy Clinic', '--json'])).stdout) as { id: string };
      const set = JSON.parse(expectOk(await cli.run(['practices', 'security', '--practice', id, '--factors', 'totp,email', '--json'])).stdout);
      expect(set.allowedFactors).to.deep.equal(['email', 'totp']);
      const [entry] = await cli.models.AuditEntry.find({ event: 'admin.practice.security_changed', practiceId: id }).lean();
      expect(entry!.details).to.deep.equal({ before: { allowedFactors: 'email,sms,totp,webauthn' }, after: { allowedFactors: 'email,totp' } });
      for (const bad of ['fax', 'email,fax', ',']) {
        const refused = await cli.run(['practices', 'security', '--practice', id, '--factors', bad]);
        expect(refused.code, bad).to.equal(1);
        expect(refused.stderr).to.contain('Allow at least one way to give the second factor');
      }
    });
  });
});
