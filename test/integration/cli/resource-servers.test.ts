// `resource-servers add|list|remove` and `clients create --smart-scope`: the operator registers FHIR
// servers and the SMART scopes an app may be granted.
import { expect } from 'chai';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { verifyClientSecret } from '../../../src/oidc/clients.js';
import { cliOnStore, expectOk } from './run-cli.js';

describe('operator CLI: SMART resource servers', function () {
  this.timeout(60_000);
  const cli = cliOnStore();

  it('adds a FHIR server with a secret shown once, lists it, refuses a bad or duplicate URL, removes it', async () => {
    const added = expectOk(await cli.run(['resource-servers', 'add', '--id', 'ehr-fhir', '--name', 'EHR FHIR', '--url', 'https://fhir.example.org/r4/']));
    expect(added.stdout).to.match(/^Registered resource server "EHR FHIR" at https:\/\/fhir\.example\.org\/r4\nclient_id: +ehr-fhir\nclient_secret: (\S+)/);
    const secret = /^client_secret: (\S+)$/m.exec(added.stdout)![1]!;
    const stored = await cli.models.Client.findById('ehr-fhir').lean();
    expect(stored).to.deep.include({ resourceServerUrl: 'https://fhir.example.org/r4', redirectUris: [] });
    expect(verifyClientSecret(stored!.secretHash!, secret)).to.equal(true);
    const audit = await cli.models.AuditEntry.findOne({ event: 'admin.client.created', clientId: 'ehr-fhir' }).lean();
    expect(audit?.reasons).to.deep.equal(['resource_server']);

    const [http, duplicate] = await Promise.all([
      cli.run(['resource-servers', 'add', '--id', 'plain', '--name', 'Plain', '--url', 'http://fhir.example.org/r4']),
      cli.run(['resource-servers', 'add', '--id', 'again', '--name', 'Again', '--url', 'https://fhir.example.org/r4']),
    ]);
    expect(http.code).to.equal(1);
    expect(http.stderr).to.match(/https/);
    expect(duplicate.code).to.equal(1);
    expect(duplicate.stderr).to.match(/already registered/);

    const list = JSON.parse(expectOk(await cli.run(['resource-servers', 'list', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(list.map((server) => [server.id, server.baseUrl])).to.deep.equal([['ehr-fhir', 'https://fhir.example.org/r4']]);
    expect(JSON.stringify(list)).to.not.include('sha256');

    expect(expectOk(await cli.run(['resource-servers', 'remove', '--id', 'ehr-fhir'])).stdout).to.match(/Removed resource server ehr-fhir/);
    expect(await cli.models.Client.exists({ _id: 'ehr-fhir' })).to.equal(null);
    expect((await cli.run(['resource-servers', 'remove', '--id', 'ehr-fhir'])).code).to.equal(1);
  });

  it("set-picker records the FHIR server's patient picker (URL and public keys), audits it, refuses private keys, and clears it", async () => {
    expectOk(await cli.run(['resource-servers', 'add', '--id', 'picker-fhir', '--name', 'Picker FHIR', '--url', 'https://fhir.picker.example.org/r4']));
    const dir = await mkdtemp(join(tmpdir(), 'picker-'));
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicFile = join(dir, 'public.json');
    const privateFile = join(dir, 'private.json');
    await writeFile(publicFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', kid: 'p1' }] }));
    await writeFile(privateFile, JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'p1' }] }));

    const set = ['resource-servers', 'set-picker', '--id', 'picker-fhir', '--url', 'https://ehr.example.org/picker'];
    expect(expectOk(await cli.run([...set, '--jwks-file', publicFile])).stdout).to.equal('Patient picker of picker-fhir is now https://ehr.example.org/picker\n');
    expect((await cli.models.Client.findById('picker-fhir').lean())?.patientPicker?.url).to.equal('https://ehr.example.org/picker');
    const audit = await cli.models.AuditEntry.findOne({ event: 'admin.client.updated', clientId: 'picker-fhir' }).lean();
    expect(audit?.reasons).to.deep.equal(['patient_picker']);
    expect(expectOk(await cli.run(['resource-servers', 'list'])).stdout).to.include('https://ehr.example.org/picker');

    const secret = await cli.run([...set, '--jwks-file', privateFile]);
    expect(secret.code).to.equal(1);
    expect(secret.stderr).to.match(/public keys only/);
    const plain = await cli.run(['resource-servers', 'set-picker', '--id', 'picker-fhir', '--url', 'http://ehr.example.org/picker', '--jwks-file', publicFile]);
    expect(plain.stderr).to.match(/https/);
    expect((await cli.run(['resource-servers', 'set-picker', '--id', 'picker-fhir', '--url', 'https://x.example.org'])).code).to.equal(2);

    expect(expectOk(await cli.run(['resource-servers', 'set-picker', '--id', 'picker-fhir', '--clear'])).stdout).to.match(/removed/);
    expect((await cli.models.Client.findById('picker-fhir').lean())?.patientPicker).to.equal(undefined);
  });

  it('registers the SMART scopes of an app and refuses a malformed one', async () => {
    expectOk(await cli.run(['clients', 'create', '--name', 'Growth chart', '--client-id', 'growth', '--redirect-uri', 'https://growth.example.org/cb', '--smart-scope', 'patient/Observation.rs', '--smart-scope', 'launch']));
    expect((await cli.models.Client.findById('growth').lean())?.smartScopes).to.deep.equal(['patient/Observation.rs', 'launch']);
    const bad = await cli.run(['clients', 'create', '--name', 'Bad', '--redirect-uri', 'https://bad.example.org/cb', '--smart-scope', 'patient/Observation.everything']);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/not a SMART scope/);
  });

  it('users set-fhir-user sets, refuses a malformed reference, and clears', async () => {
    const practice = JSON.parse(expectOk(await cli.run(['practices', 'create', '--name', 'Riverside', '--json'])).stdout) as { id: string };
    expectOk(await cli.run(['users', 'create', '--practice', practice.id, '--email', 'ada@clinic.test', '--name', 'Ada', '--role', 'clinician']));
    expect(expectOk(await cli.run(['users', 'set-fhir-user', '--email', 'ada@clinic.test', '--fhir-user', 'Practitioner/123'])).stdout).to.match(/is now Practitioner\/123/);
    expect((await cli.models.User.findOne({ email: 'ada@clinic.test' }).lean())?.fhirUser).to.equal('Practitioner/123');
    const bad = await cli.run(['users', 'set-fhir-user', '--email', 'ada@clinic.test', '--fhir-user', 'Observation/1']);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/not a FHIR user reference/);
    expectOk(await cli.run(['users', 'set-fhir-user', '--email', 'ada@clinic.test', '--clear']));
    expect((await cli.models.User.findOne({ email: 'ada@clinic.test' }).lean())?.fhirUser).to.equal(undefined);
  });
});
