// The operator CLI as operators run it: a child process against a real store (MONGODB_URI: a real
// MongoDB when the suite has one, else the embedded store). Commands that do not depend on each
// other run side by side to keep the suite fast.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { Connection } from 'mongoose';
import { authenticatePassword } from '../../../src/accounts/authenticate.js';
import { createPasswordHasher } from '../../../src/accounts/password.js';
import { verifyClientSecret } from '../../../src/oidc/clients.js';
import { ensureSigningKeys } from '../../../src/oidc/keys.js';
import { SIGNING_KEY_RETENTION_SECONDS } from '../../../src/sessions/ttl.js';
import { openConnection } from '../../../src/store/connection.js';
import { createModels, type Models } from '../../../src/store/models/index.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';
import { cliEnv, expectOk, runCli, runCliProcess } from './run-cli.js';

const json = <T>(stdout: string): T => JSON.parse(stdout) as T;

describe('operator CLI', function () {
  this.timeout(30_000);
  let store: StoreUnderTest;
  let connection: Connection;
  let models: Models;
  let env: NodeJS.ProcessEnv;
  let tmp: string;
  const hasher = createPasswordHasher({ memoryKiB: 19_456, timeCost: 2, parallelism: 1 });
  const cli = (args: string[], stdin?: string) => runCli(args, env, stdin);

  before(async () => {
    store = await storeUnderTest();
    connection = await openConnection(store.uri);
    models = createModels(connection);
    env = cliEnv({ MONGODB_URI: store.uri });
    tmp = await mkdtemp(join(tmpdir(), 'cli-test-'));
  });
  after(async () => {
    await connection?.close();
    await store?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('creates and lists practices and users; passwords come from stdin and are never shown', async () => {
    const practice = json<{ id: string }>(expectOk(await cli(['practices', 'create', '--name', 'Riverside Family Medicine', '--mfa-policy', 'always', '--json'])).stdout);
    const [dana, bob] = await Promise.all([
      cli(['users', 'create', '--practice', practice.id, '--email', 'Dana.Lee@Example.org', '--name', 'Dana Lee', '--role', 'clinician', '--password-stdin'], 'First passphrase 123\n'),
      cli(['users', 'create', '--practice', practice.id, '--email', 'bob@example.org', '--name', 'Bob Stone', '--role', 'staff', '--phone', '+15551234567']),
    ]);
    expect(expectOk(dana).stdout).to.match(/^Created clinician dana\.lee@example\.org \(sub [\w-]+\)\n$/);
    expect(expectOk(bob).stdout).to.contain('no password yet');

    const [duplicate, practices, list, table] = await Promise.all([
      cli(['users', 'create', '--practice', practice.id, '--email', 'dana.lee@example.org', '--name', 'Again', '--role', 'admin']),
      cli(['practices', 'list']),
      cli(['users', 'list', '--practice', practice.id, '--json']),
      cli(['users', 'list']),
    ]);
    expect(duplicate).to.include({ code: 1, stdout: '', stderr: 'error: A user with this email already exists.\n' });
    expect(expectOk(practices).stdout).to.match(new RegExp(`^ID +NAME +MFA POLICY +USERS +CREATED\\n${practice.id} +Riverside Family Medicine +always +2 `));
    expect(json<Array<Record<string, unknown>>>(expectOk(list).stdout).map(({ created: _created, sub: _sub, ...user }) => user)).to.deep.equal([
      { email: 'bob@example.org', name: 'Bob Stone', role: 'staff', active: true, hasPassword: false, phone: '+15551234567', practiceId: practice.id },
      { email: 'dana.lee@example.org', name: 'Dana Lee', role: 'clinician', active: true, hasPassword: true, practiceId: practice.id },
    ]);
    expect(expectOk(table).stdout).to.match(/dana\.lee@example\.org +Dana Lee +clinician +yes +yes/);
    for (const output of [list.stdout, table.stdout]) expect(output).not.to.match(/argon2|passphrase/);

    const [setPassword, deactivate, unknown] = await Promise.all([
      cli(['users', 'set-password', '--email', 'dana.lee@example.org'], 'Second passphrase 456\n'),
      cli(['users', 'deactivate', '--email', 'bob@example.org']),
      cli(['users', 'activate', '--email', 'nobody@example.org']),
    ]);
    expect(expectOk(setPassword).stdout).to.equal('Password set for dana.lee@example.org; signed out everywhere\n');
    expect(expectOk(deactivate).stdout).to.contain('Deactivated bob@example.org');
    expect(unknown).to.include({ code: 1, stderr: 'error: No user with email nobody@example.org.\n' });

    expect(await authenticatePassword({ models, hasher }, 'dana.lee@example.org', 'Second passphrase 456')).to.include({ ok: true });
    expect(await authenticatePassword({ models, hasher }, 'dana.lee@example.org', 'First passphrase 123')).to.include({ ok: false, reason: 'wrong_password' });
    const bobIdentity = (await models.User.findOne({ email: 'bob@example.org' }).lean())!;
    expect(await models.Membership.findOne({ userId: bobIdentity._id }).lean()).to.include({ status: 'deactivated' });
  });

  it('registers clients, shows a secret once, lists them without secrets and removes them', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwks = join(tmp, 'public.json');
    const privateJwks = join(tmp, 'private.json');
    await writeFile(publicJwks, JSON.stringify({ keys: [await exportJWK(publicKey)] }));
    await writeFile(privateJwks, JSON.stringify({ keys: [await exportJWK(privateKey)] }));

    const [confidential, pub, signed, leaked, conflicting] = await Promise.all([
      cli(['clients', 'create', '--name', 'Charting', '--client-id', 'charting', '--redirect-uri', 'http://localhost:3001/callback',
        '--redirect-uri', 'https://charting.example.org/callback', '--post-logout-redirect-uri', 'http://localhost:3001/',
        '--backchannel-logout-uri', 'http://localhost:3001/backchannel-logout', '--first-party']),
      cli(['clients', 'create', '--name', 'Patient app', '--redirect-uri', 'https://app.example.org/cb', '--public', '--json']),
      cli(['clients', 'create', '--name', 'Lab', '--client-id', 'lab', '--redirect-uri', 'https://lab.example.org/cb', '--private-key-jwt', '--jwks-file', publicJwks]),
      cli(['clients', 'create', '--name', 'Lab', '--redirect-uri', 'https://lab.example.org/cb', '--private-key-jwt', '--jwks-file', privateJwks]),
      cli(['clients', 'create', '--name', 'X', '--redirect-uri', 'https://x.example.org/cb', '--public', '--private-key-jwt']),
    ]);
    const secret = /^client_secret: (\S+)$/m.exec(expectOk(confidential).stdout)?.[1];
    expect(secret).to.match(/^[\w-]{43}$/);
    expect(confidential.stdout).to.contain('will never be shown again');
    const stored = await models.Client.findById('charting').lean();
    expect(verifyClientSecret(stored!.secretHash!, secret!)).to.equal(true);
    expect(stored).to.deep.include({ firstParty: true, backchannelLogoutUri: 'http://localhost:3001/backchannel-logout', postLogoutRedirectUris: ['http://localhost:3001/'] });
    const publicClient = json<{ clientId: string; authMethod: string; clientSecret?: string }>(expectOk(pub).stdout);
    expect(publicClient).to.include({ authMethod: 'none' }).and.not.to.have.property('clientSecret');
    expect(expectOk(signed).stdout).to.equal('Created client "Lab" (private_key_jwt)\nclient_id: lab\n');
    expect(leaked.code).to.equal(1);
    expect(leaked.stderr).to.match(/^error: .*holds private key material.*\n$/);
    expect(conflicting.code).to.equal(2);
    expect(conflicting.stderr).to.match(/^error: --public, --private-key-jwt and --secret-post exclude each other\n\nUsage: /);

    const [table, list, missing] = await Promise.all([
      cli(['clients', 'list']),
      cli(['clients', 'list', '--json']),
      cli(['clients', 'remove', '--client-id', 'nope']),
    ]);
    expect(expectOk(table).stdout).to.match(/charting +Charting +client_secret_basic +yes +yes +http:\/\/localhost:3001\/callback https:\/\/charting\.example\.org\/callback\n/);
    expect(json<Array<{ clientId: string }>>(expectOk(list).stdout).map((client) => client.clientId)).to.have.members(['charting', publicClient.clientId, 'lab']);
    for (const output of [table.stdout, list.stdout]) expect(output).not.to.contain(secret).and.not.to.match(/sha256:|secretHash|clientSecret/);
    expect(missing).to.include({ code: 1, stderr: 'error: No client with id nope.\n' });

    expect(expectOk(await cli(['clients', 'remove', '--client-id', 'charting'])).stdout).to.equal('Removed client charting\n');
    expect(await models.Client.exists({ _id: 'charting' })).to.equal(null);
  });

  it('rotates signing keys: new keys published as next, the old ones retire after them, no private material shown', async () => {
    await ensureSigningKeys({ models });
    const before = (await models.SigningKey.find({}).lean()).map((key) => key._id);
    const rotated = json<{ next: string[]; replaced: string[]; activateAt: string; retireAt: string }>(expectOk(await cli(['keys', 'rotate', '--activate-after', '24h', '--json'])).stdout);
    expect(rotated.replaced).to.have.members(before);
    const started = Date.now();
    expect((Date.parse(rotated.activateAt) - started) / 3600_000).to.be.within(23.9, 24.01);
    const list = expectOk(await cli(['keys', 'list', '--json'])).stdout;
    expect(list).not.to.match(/"(d|p|q|privateJwk)"/);
    const keys = json<Array<{ kid: string; alg: string; state: string; retireAt?: string }>>(list);
    expect(keys.filter((key) => key.state === 'next').map((key) => key.kid)).to.have.members(rotated.next);
    expect(keys.filter((key) => key.state === 'current').map((key) => key.kid)).to.have.members(before);
    for (const key of keys.filter((one) => one.state === 'current')) {
      expect(Date.parse(key.retireAt!)).to.equal(Date.parse(rotated.activateAt) + SIGNING_KEY_RETENTION_SECONDS * 1000);
    }
    expect((await cli(['keys', 'rotate', '--activate-after', 'soon'])).code, 'not a duration').to.equal(2);
  });

  it('explains itself with --help and rejects bad usage with exit code 2', async () => {
    const [help, commandHelp, bad] = await Promise.all([
      cli(['--help']),
      cli(['clients', 'create', '--help']),
      cli(['users', 'create', '--email', 'x@example.org', '--role', 'doctor']),
    ]);
    expect(expectOk(help).stdout).to.match(/^Usage: npm run cli -- <group> <command> \[options\]/);
    for (const name of ['practices create', 'users set-password', 'clients remove', 'keys rotate']) expect(help.stdout).to.contain(name);
    expect(expectOk(commandHelp).stdout).to.contain('--redirect-uri URL').and.contain('Example:');
    expect(bad).to.include({ code: 2, stdout: '' });
    expect(bad.stderr).to.match(/^error: missing --practice\n\nUsage: npm run cli -- users create /);
  });

  it('the real binary: a password piped on stdin (exit 0), a usage error (exit 2)', async function () {
    // Two child processes (the rest of this file runs the CLI in-process): process.exitCode and
    // process.stdin are what only the binary wires.
    this.timeout(120_000);
    const practice = json<{ id: string }>(expectOk(await cli(['practices', 'create', '--name', 'Binary Clinic', '--json'])).stdout);
    expectOk(await cli(['users', 'create', '--practice', practice.id, '--email', 'bin@example.org', '--name', 'Bin Ary', '--role', 'staff']));
    const [set, usage] = await Promise.all([
      runCliProcess(['users', 'set-password', '--email', 'bin@example.org'], env, 'Piped passphrase 789\n'),
      runCliProcess(['users', 'set-password'], env),
    ]);
    expect(expectOk(set).stdout).to.equal('Password set for bin@example.org; signed out everywhere\n');
    expect(await authenticatePassword({ models, hasher }, 'bin@example.org', 'Piped passphrase 789')).to.include({ ok: true });
    expect(usage).to.include({ code: 2, stdout: '' });
    expect(usage.stderr).to.match(/^error: missing --email\n\nUsage: /);
  });
});
