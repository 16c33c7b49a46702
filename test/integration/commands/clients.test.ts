// Client registration (src/commands/clients.ts, operator only): registering, a new secret and removal
// are each audited with the client id and the operator as actor, intent first. The CLI used to audit
// the registration only: a secret rotated or a client removed left no entry.
import { expect } from 'chai';
import { cliOnStore, expectOk } from '../cli/run-cli.js';

describe('commands: client registration (operator CLI)', function () {
  this.timeout(30_000);
  const cli = cliOnStore();

  it('registers, rotates the secret of and removes a client, each audited with its id; no secret in any entry', async () => {
    const created = expectOk(await cli.run(['clients', 'create', '--name', 'Billing', '--client-id', 'billing', '--redirect-uri', 'https://billing.example.org/cb']));
    const rotated = expectOk(await cli.run(['clients', 'rotate-secret', '--client-id', 'billing']));
    const secrets = [created.stdout, rotated.stdout].map((out) => /^client_secret: (\S+)$/m.exec(out)?.[1]);
    expect(secrets[0]).to.be.a('string').and.not.equal(secrets[1]);
    expectOk(await cli.run(['clients', 'remove', '--client-id', 'billing']));
    const missing = await cli.run(['clients', 'remove', '--client-id', 'billing']);
    expect(missing).to.include({ code: 1, stderr: 'error: No client with id billing.\n' });

    const entries = await cli.models.AuditEntry.find({ clientId: 'billing' }).sort({ seq: 1 }).lean();
    expect(entries.map((entry) => [entry.event, entry.outcome, entry.actor?.sub])).to.deep.equal([
      ['change.requested', 'info', 'cli'], ['admin.client.created', 'success', 'cli'],
      ['change.requested', 'info', 'cli'], ['admin.client.secret_rotated', 'success', 'cli'],
      ['change.requested', 'info', 'cli'], ['admin.client.removed', 'success', 'cli'],
      ['change.requested', 'info', 'cli'], ['change.not_applied', 'info', 'cli'],
    ]);
    const logged = JSON.stringify(entries);
    for (const secret of secrets) expect(logged).not.to.contain(secret);
  });
});
