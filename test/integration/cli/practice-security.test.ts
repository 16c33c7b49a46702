// `practices security`: the operator shows and changes a practice's idle time-out, password
// policy and time zone with the same checks as the admin page, and every real change is audited
// with before/after.
import { expect } from 'chai';
import { cliOnStore, expectOk } from './run-cli.js';

describe('operator CLI: practice security settings', function () {
  this.timeout(30_000);
  const cli = cliOnStore();
  const audits = (practiceId: string) => cli.models.AuditEntry.find({ event: 'admin.practice.security_changed', practiceId }).lean();

  it('shows the defaults, saves a change, audits exactly what changed and refuses bad values', async () => {
    const { id } = JSON.parse(expectOk(await cli.run(['practices', 'create', '--name', 'Harbor Clinic', '--json'])).stdout) as { id: string };

    const shown = expectOk(await cli.run(['practices', 'security', '--practice', id]));
    expect(shown.stdout).to.equal('Practice "Harbor Clinic": idle time-out 15 min; passwords 12-256 characters; language en\n'
      + '  require-upper on, require-lower on, require-digit on, require-special on, reject-common on, reject-personal on\n'
      + '  second factors allowed: email, sms, totp, webauthn\n');
    expect(await audits(id)).to.have.length(0);

    const changed = JSON.parse(expectOk(await cli.run(['practices', 'security', '--practice', id, '--idle-minutes', '10', '--min-length', '14', '--require-special', 'off', '--json'])).stdout);
    expect(changed).to.deep.include({ sessionIdleMinutes: 10 });
    expect(changed.passwordPolicy).to.include({ minLength: 14, requireSpecial: false, requireUpper: true });
    const [entry] = await audits(id);
    expect(entry).to.deep.include({ outcome: 'success', actor: { sub: 'cli', role: 'operator' } });
    expect(entry!.details).to.deep.equal({
      before: { sessionIdleMinutes: 15, passwordPolicy: { minLength: 12, requireSpecial: true } },
      after: { sessionIdleMinutes: 10, passwordPolicy: { minLength: 14, requireSpecial: false } },
    });

    const [again, zero, words, tooShort] = await Promise.all([
      cli.run(['practices', 'security', '--practice', id, '--idle-minutes', '10']),
      cli.run(['practices', 'security', '--practice', id, '--idle-minutes', '0']),
      cli.run(['practices', 'security', '--practice', id, '--min-length', 'twelve']),
      cli.run(['practices', 'security', '--practice', id, '--min-length', '6']),
    ]);
    expect(expectOk(again).stdout).to.contain('idle time-out 10 min');
    for (const refused of [zero, words, tooShort]) expect(refused.code).to.equal(1);
    expect(zero.stderr).to.contain('idle time-out must be a whole number of minutes from 1 to 720');
    expect(tooShort.stderr).to.contain('from 8 to 64');
    expect(await audits(id)).to.have.length(1);
    const stored = await cli.models.Practice.findById(id).lean();
    expect(stored).to.deep.include({ sessionIdleMinutes: 10 });
  });

  it('sets the time zone by name, refuses an unknown one by name, and "server" goes back to the server\'s zone', async () => {
    const { id } = JSON.parse(expectOk(await cli.run(['practices', 'create', '--name', 'Prairie Clinic', '--json'])).stdout) as { id: string };
    expect(JSON.parse(expectOk(await cli.run(['practices', 'security', '--practice', id, '--json'])).stdout)).to.include({ timeZone: null });

    const set = expectOk(await cli.run(['practices', 'security', '--practice', id, '--time-zone', 'america/chicago']));
    expect(set.stdout).to.contain('idle time-out 15 min; passwords 12-256 characters; time zone America/Chicago; language en\n');
    expect(await cli.models.Practice.findById(id).lean()).to.include({ timeZone: 'America/Chicago' });

    const refused = await cli.run(['practices', 'security', '--practice', id, '--time-zone', 'Mars/Olympus']);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.contain('"Mars/Olympus" is not a time zone name this server knows');

    const back = expectOk(await cli.run(['practices', 'security', '--practice', id, '--time-zone', 'server', '--json']));
    expect(JSON.parse(back.stdout)).to.include({ timeZone: null });
    expect(await cli.models.Practice.findById(id).lean()).to.not.have.property('timeZone');
    expect((await audits(id)).map((entry) => entry.details)).to.deep.equal([
      { before: { timeZone: null }, after: { timeZone: 'America/Chicago' } },
      { before: { timeZone: 'America/Chicago' }, after: { timeZone: null } },
    ]);
  });

  it('sets the practice language (en or es), audits it, and refuses any other', async () => {
    const { id } = JSON.parse(expectOk(await cli.run(['practices', 'create', '--name', 'Valle Clinic', '--json'])).stdout) as { id: string };
    expect(JSON.parse(expectOk(await cli.run(['practices', 'security', '--practice', id, '--json'])).stdout)).to.include({ language: 'en' });
    expect(expectOk(await cli.run(['practices', 'security', '--practice', id, '--language', 'es'])).stdout).to.contain('; language es\n');
    expect(await cli.models.Practice.findById(id).lean()).to.include({ language: 'es' });
    const refused = await cli.run(['practices', 'security', '--practice', id, '--language', 'fr']);
    expect(refused.code).to.not.equal(0);
    expect(await cli.models.Practice.findById(id).lean()).to.include({ language: 'es' });
    expect((await audits(id)).map((entry) => entry.details)).to.deep.equal([{ before: { language: 'en' }, after: { language: 'es' } }]);
  });
});
