// Practice security over HTTP: the admin changes when a code is asked for, the trusted-IP bypass,
// the idle time-out, the password policy and the practice's time zone; the change is audited with exactly what changed and
// the next sign-in of another user of the practice follows it. Invalid values are named and nothing
// is stored.
import { expect } from 'chai';
import { field } from '../../helpers/browser.js';
import { PASSWORD, signInToModule, startAdminBench, type AdminBench } from './admin-bench.js';

describe('admin: practice security', () => {
  let ctx: AdminBench;
  const practice = () => ctx.bench.server.models.Practice.findById(ctx.practiceId).lean();
  const form = (changes: Record<string, string> = {}) => ({
    mfaPolicy: 'off', trustedIpsBypass: 'on', sessionIdleMinutes: '15', minLength: '12',
    requireUpper: 'on', requireLower: 'on', requireDigit: 'on', requireSpecial: 'on', rejectCommon: 'on', rejectPersonal: 'on',
    ...changes,
  });

  before(async () => {
    ctx = await startAdminBench('off');
  });
  after(() => ctx?.close());

  it('shows the current settings', async () => {
    const page = await ctx.browser.get(ctx.url('/admin/security'));
    expect(page.status).to.equal(200);
    expect(page.html).to.match(/<input type="radio" name="mfaPolicy" value="off" checked/);
    expect(page.html).to.match(/<input id="sessionIdleMinutes"[^>]*value="15"/);
    expect(page.html).to.match(/<input id="minLength"[^>]*value="12"/);
    expect(page.html).to.match(/<input id="timeZone" type="text" name="timeZone" value="" list="time-zones"/);
    expect(page.html).to.include('<datalist id="time-zones"><option value="UTC"></option>').and.include('<option value="America/Chicago"></option>');
    expect(page.html).to.not.include('<script');
  });

  it('"always" applies to the next sign-in of another user, and is audited with before and after', async () => {
    const nurse = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'nurse@seaside.test', name: 'Nora Nurse', password: PASSWORD });
    expect((await signInToModule(ctx.bench, nurse)).askedForCode, 'policy off: no code').to.equal(false);

    // Asked first: everyone will type codes, and the trusted addresses no longer skip them.
    const asked = await ctx.post('/admin/security', form({ mfaPolicy: 'always', trustedIpsBypass: '' }));
    expect(asked.status).to.equal(200);
    expect(asked.html).to.include('Ask for more codes across the practice?')
      .and.include('active users of Seaside Clinic will be asked for a one-time code at every sign-in')
      .and.include('trusted addresses will no longer skip the code');
    expect(await practice()).to.include({ mfaPolicy: 'off', trustedIpsBypass: true });
    expect(field(asked.html, 'mfaPolicy')).to.equal('always');
    const done = await ctx.post('/admin/security', form({ mfaPolicy: 'always', trustedIpsBypass: '', confirmed: 'yes' }));
    expect(done.status).to.equal(303);
    expect((await ctx.browser.follow(done)).html).to.include('Security settings saved.');
    expect(await practice()).to.include({ mfaPolicy: 'always', trustedIpsBypass: false });

    const [entry] = await ctx.audited('admin.practice.security_changed');
    expect(entry).to.deep.include({ outcome: 'success', practiceId: String(ctx.practiceId), userSub: null, actor: { sub: ctx.admin.sub, role: 'admin' } });
    expect(entry!.details).to.deep.equal({ before: { mfaPolicy: 'off', trustedIpsBypass: true }, after: { mfaPolicy: 'always', trustedIpsBypass: false } });

    expect((await signInToModule(ctx.bench, nurse)).askedForCode, 'policy always: a code').to.equal(true);
  });

  it('saves the idle time-out and the password policy; the next password is checked against it', async () => {
    const done = await ctx.post('/admin/security', form({ mfaPolicy: 'always', trustedIpsBypass: '', sessionIdleMinutes: '45', minLength: '20', requireSpecial: '' }));
    expect(done.status).to.equal(303);
    const stored = await practice();
    expect(stored).to.include({ sessionIdleMinutes: 45 });
    expect(stored!.passwordPolicy).to.include({ minLength: 20, requireSpecial: false, requireUpper: true, maxLength: 256 });
    const entries = await ctx.audited('admin.practice.security_changed');
    expect(entries.at(-1)!.details).to.deep.equal({
      before: { sessionIdleMinutes: 15, passwordPolicy: { minLength: 12, requireSpecial: true } },
      after: { sessionIdleMinutes: 45, passwordPolicy: { minLength: 20, requireSpecial: false } },
    });
    // 19 characters, no symbol needed any more, but now too short.
    await ctx.bench.server.createUser({ practiceId: ctx.practiceId, password: 'Amber-Window-Tree-9' }).then(
      () => expect.fail('a 19-character password was accepted'),
      (err: { status?: number }) => expect(err.status).to.equal(400),
    );
    await ctx.bench.server.createUser({ practiceId: ctx.practiceId, password: 'Amber Window Tree Nine 9' });
  });

  it('names an invalid value, keeps the form and stores nothing', async () => {
    const before = await practice();
    const entries = (await ctx.audited('admin.practice.security_changed')).length;
    const cases: Array<[Record<string, string>, string]> = [
      [{ sessionIdleMinutes: '0' }, 'The idle time-out must be a whole number of minutes from 1 to 720'],
      [{ sessionIdleMinutes: '721' }, 'from 1 to 720'],
      [{ sessionIdleMinutes: 'soon' }, 'The idle time-out must be a whole number'],
      [{ minLength: '7' }, 'The minimum password length must be a whole number from 8 to 64.'],
      [{ minLength: '' }, 'The minimum password length must be a whole number from 8 to 64.'],
      [{ mfaPolicy: 'sometimes' }, 'Choose when a one-time code is asked for'],
      [{ timeZone: 'Mars/Olympus' }, '&quot;Mars/Olympus&quot; is not a time zone name this server knows. Use a name such as America/Chicago, or leave it empty'],
      [{ timeZone: '+05:00' }, '&quot;+05:00&quot; is not a time zone name'],
    ];
    for (const [change, message] of cases) {
      const page = await ctx.post('/admin/security', form({ mfaPolicy: 'off', ...change }));
      expect(page.status, message).to.equal(400);
      expect(page.html).to.include(message);
      if (change.sessionIdleMinutes) expect(page.html).to.include(`value="${change.sessionIdleMinutes}"`);
      if (change.timeZone) expect(page.html).to.match(new RegExp(`<input id="timeZone"[^>]*value="${change.timeZone.replace('+', '\\+')}"`));
    }
    expect(await practice()).to.deep.equal(before);
    expect(await ctx.audited('admin.practice.security_changed')).to.have.length(entries);
  });

  it('says every mistake at once, each next to its field (aria-invalid, aria-describedby) and in a summary linking to it', async () => {
    const page = await ctx.post('/admin/security', form({ sessionIdleMinutes: '0', minLength: 'x', timeZone: 'Mars/Olympus' }));
    expect(page.status).to.equal(400);
    expect(page.html).to.include('Please correct these 3 things:');
    for (const id of ['sessionIdleMinutes', 'minLength', 'timeZone']) {
      expect(page.html, id).to.match(new RegExp(`<input id="${id}"[^>]* aria-invalid="true" aria-describedby="${id}-error"`));
      expect(page.html, id).to.match(new RegExp(`<p class="field-error" id="${id}-error">`));
      expect(page.html, id).to.include(`<a href="#${id}">`);
    }
    expect(page.html).not.to.match(/<input id="mfaPolicy-off"[^>]*aria-invalid/);
  });

  it('an unchanged form records nothing', async () => {
    const entries = (await ctx.audited('admin.practice.security_changed')).length;
    const done = await ctx.post('/admin/security', form({ mfaPolicy: 'always', trustedIpsBypass: '', sessionIdleMinutes: '45', minLength: '20', requireSpecial: '' }));
    expect((await ctx.browser.follow(done)).html).to.include('Nothing changed.');
    expect(await ctx.audited('admin.practice.security_changed')).to.have.length(entries);
  });

  it('saves the time zone (spelled as the runtime spells it) and clears it back to the server\'s zone, audited each time', async () => {
    const saved = { mfaPolicy: 'always', trustedIpsBypass: '', sessionIdleMinutes: '45', minLength: '20', requireSpecial: '' };
    const done = await ctx.post('/admin/security', form({ ...saved, timeZone: ' america/chicago ' }));
    expect(done.status).to.equal(303);
    expect(await practice()).to.include({ timeZone: 'America/Chicago' });
    expect((await ctx.browser.follow(done)).html).to.match(/<input id="timeZone"[^>]*value="America\/Chicago"/);
    expect((await ctx.audited('admin.practice.security_changed')).at(-1)!.details).to.deep.equal({ before: { timeZone: null }, after: { timeZone: 'America/Chicago' } });

    const cleared = await ctx.post('/admin/security', form({ ...saved, timeZone: '' }));
    expect(cleared.status).to.equal(303);
    expect(await practice()).to.not.have.property('timeZone');
    expect((await ctx.audited('admin.practice.security_changed')).at(-1)!.details).to.deep.equal({ before: { timeZone: 'America/Chicago' }, after: { timeZone: null } });
  });
});
