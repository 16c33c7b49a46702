// `clients create --service`: a machine-to-machine client registered by the operator CLI.
import { expect } from 'chai';
import { verifyClientSecret } from '../../../src/oidc/clients.js';
import { cliOnStore, expectOk } from './run-cli.js';

describe('operator CLI: service clients', function () {
  this.timeout(30_000);
  const cli = cliOnStore();

  it('registers a service client without a redirect URI and refuses one that is public or signs users in', async () => {
    const [service, asJson, publicService, withRedirect, noRedirect] = await Promise.all([
      cli.run(['clients', 'create', '--name', 'Lab interface', '--client-id', 'lab-interface', '--service']),
      cli.run(['clients', 'create', '--name', 'Scheduling sync', '--service', '--json']),
      cli.run(['clients', 'create', '--name', 'Kiosk', '--service', '--public']),
      cli.run(['clients', 'create', '--name', 'Sync', '--service', '--redirect-uri', 'https://sync.example.org/cb']),
      cli.run(['clients', 'create', '--name', 'Charting']),
    ]);
    expect(expectOk(service).stdout).to.match(/^Created client "Lab interface" \(client_secret_basic, service: client credentials\)\nclient_id: +lab-interface\nclient_secret: /);
    const secret = /^client_secret: (\S+)$/m.exec(service.stdout)?.[1];
    const stored = await cli.models.Client.findById('lab-interface').lean();
    expect(stored).to.deep.include({ serviceAccess: true, redirectUris: [], authMethod: 'client_secret_basic' });
    expect(verifyClientSecret(stored!.secretHash!, secret!)).to.equal(true);

    expect(JSON.parse(expectOk(asJson).stdout)).to.include({ authMethod: 'client_secret_basic', serviceAccess: true }).and.to.have.property('clientSecret');
    expect(publicService.code).to.equal(2);
    expect(publicService.stderr).to.match(/^error: --service needs a confidential client: drop --public\n\nUsage: /m);
    expect(withRedirect.code).to.equal(1);
    expect(withRedirect.stderr).to.match(/^error: a service client signs no one in/m);
    expect(noRedirect.code).to.equal(2);
    expect(noRedirect.stderr).to.match(/^error: missing --redirect-uri\n/m);

    const list = JSON.parse(expectOk(await cli.run(['clients', 'list', '--json'])).stdout) as Array<{ clientId: string; serviceAccess: boolean }>;
    expect(list.map((client) => [client.clientId, client.serviceAccess])).to.deep.include(['lab-interface', true]);
  });
});
