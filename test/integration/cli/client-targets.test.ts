// clients create as the operator runs it in production mode (OUTBOUND_PUBLIC_ONLY): private
// back-channel logout / JWKS targets refused unless --internal, which is audited; --secret-post.
import { expect } from 'chai';
import { cliOnStore, expectOk } from './run-cli.js';

describe('CLI: client targets and auth methods', function () {
  this.timeout(120_000); // four CLI processes; each starts tsx, slow on a loaded machine
  const cli = cliOnStore({ OUTBOUND_PUBLIC_ONLY: 'true' });

  it('refuses a link-local or loopback back-channel URI, accepts it with --internal and audits that', async () => {
    for (const uri of ['https://169.254.169.254/latest/meta-data', 'http://127.0.0.1:9000/admin']) {
      const refused = await cli.run(['clients', 'create', '--name', 'Labs', '--redirect-uri', 'https://labs.example.org/cb', '--backchannel-logout-uri', uri]);
      expect(refused.code, uri).to.equal(1);
      expect(refused.stderr, uri).to.match(/not a public address/).and.match(/--internal/);
    }
    expect(await cli.models.Client.countDocuments()).to.equal(0);

    expectOk(await cli.run(['clients', 'create', '--name', 'Labs', '--client-id', 'labs', '--redirect-uri', 'https://labs.example.org/cb',
      '--backchannel-logout-uri', 'https://10.1.2.3/logout', '--internal']));
    expect(await cli.models.Client.findById('labs').lean()).to.include({ internal: true, backchannelLogoutUri: 'https://10.1.2.3/logout' });
    const entry = await cli.models.AuditEntry.findOne({ event: 'admin.client.created', clientId: 'labs' }).lean();
    expect(entry?.reasons).to.deep.equal(['internal_targets']);
    expect(entry?.actor).to.include({ sub: 'cli' });
  });

  it('registers a client_secret_post client with a secret shown once', async () => {
    const created = JSON.parse(expectOk(await cli.run(['clients', 'create', '--name', 'Vendor', '--redirect-uri', 'https://vendor.example.org/cb', '--secret-post', '--json'])).stdout) as { clientId: string; authMethod: string; clientSecret: string };
    expect(created.authMethod).to.equal('client_secret_post');
    expect(created.clientSecret).to.have.length.greaterThan(40);
    expect(await cli.models.Client.findById(created.clientId).lean()).to.have.property('authMethod', 'client_secret_post');
  });
});
