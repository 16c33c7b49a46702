// The operator's `users deactivate`, `users set-password` and `users change` end the user's
// sign-ins as their admin-page twins do: the browser session and the module's refresh token stop working at once,
// and the change is audited with the CLI as actor.
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { relyingParty, signIn, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { cliEnv, expectOk, runCli } from './run-cli.js';

describe('operator CLI: ending a user\'s sign-ins', function () {
  this.timeout(30_000);
  let server: TestServer;
  let rp: RelyingParty;
  let clientSecret: string;
  const password = 'Quiet-Harbor-Lantern-0123!';
  const cli = (args: string[], stdin?: string) => runCli(args, cliEnv({ MONGODB_URI: server.store.uri }), stdin);

  before(async () => {
    server = await startServer();
    const created = await server.createClient({ redirectUris: ['http://127.0.0.1:4/callback'], firstParty: true });
    clientSecret = created.clientSecret!;
    rp = await relyingParty(server, created.client._id, clientSecret);
  });
  after(() => server.close());

  /** A user signed in on a browser, with a module holding a refresh token. */
  async function signedIn() {
    const user = await server.createUser({ password });
    const browser = new Browser();
    const { tokens } = await signIn(browser, rp, user.email, password, { scope: 'openid offline_access', prompt: 'consent' });
    return { user, browser, refreshToken: tokens.refresh_token! };
  }

  async function refreshStatus(refreshToken: string): Promise<number> {
    const response = await fetch(server.url('/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${rp.clientId}:${clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });
    return response.status;
  }

  const sessionsOf = (sub: string) => server.models.OidcRecord.countDocuments({ kind: 'Session', accountId: sub });

  for (const [name, args, stdin, event] of [
    ['users deactivate', ['users', 'deactivate'], undefined, 'admin.user.deactivated'],
    ['users set-password', ['users', 'set-password'], 'Amber-Orchard-Signal-4567!\n', 'password.changed'],
  ] as const) {
    it(`${name} ends the browser session and the module's refresh token, audited`, async () => {
      const { user, refreshToken } = await signedIn();
      expect(await sessionsOf(user.sub)).to.equal(1);
      expectOk(await cli([...args, '--email', user.email], stdin));
      expect(await sessionsOf(user.sub)).to.equal(0);
      expect(await refreshStatus(refreshToken)).to.equal(400);
      const entry = await server.models.AuditEntry.findOne({ event, userSub: user.sub }).lean();
      expect(entry).to.deep.include({ outcome: 'success', actor: { sub: 'cli', role: 'operator' } });
      expect(entry!.details).to.include({ sessionsEnded: 1 });
    });
  }

  it('users change applies a new email and phone at once (the operator holds the store), ends the sign-ins and audits before/after', async () => {
    const { user, refreshToken } = await signedIn();
    const result = expectOk(await cli(['users', 'change', '--email', user.email, '--new-email', 'Moved.Here@Clinic.test', '--phone', '+1 555 010 4242']));
    expect(result.stdout).to.equal('email changed; signed out everywhere\nphone changed; signed out everywhere\n');
    expect(await server.models.User.findById(user._id).lean()).to.include({ email: 'moved.here@clinic.test', phone: '+15550104242' });
    expect(await sessionsOf(user.sub)).to.equal(0);
    expect(await refreshStatus(refreshToken)).to.equal(400);
    const entries = await server.models.AuditEntry.find({ event: 'admin.user.updated', userSub: user.sub }).sort({ seq: 1 }).lean();
    expect(entries.map((entry) => [entry.actor, entry.details])).to.deep.equal([
      [{ sub: 'cli', role: 'operator' }, { before: { email: user.email }, after: { email: 'moved.here@clinic.test' }, sessionsEnded: 1 }],
      [{ sub: 'cli', role: 'operator' }, { before: { phone: null }, after: { phone: '••• ••• 4242' }, sessionsEnded: 0 }],
    ]);
    const taken = await cli(['users', 'change', '--email', 'moved.here@clinic.test', '--new-email', (await server.createUser()).email]);
    expect(taken.code).not.to.equal(0);
    expect(taken.stderr).to.include('A user with this email already exists.');
  });

  it('users activate after a deactivation is audited; a repeated one changes nothing', async () => {
    const { user } = await signedIn();
    expectOk(await cli(['users', 'deactivate', '--email', user.email]));
    expect(expectOk(await cli(['users', 'activate', '--email', user.email])).stdout).to.equal(`Activated ${user.email} in Test Practice\n`);
    expect(expectOk(await cli(['users', 'activate', '--email', user.email])).stdout).to.equal(`${user.email} is already active in Test Practice\n`);
    const entries = await server.models.AuditEntry.find({ userSub: user.sub, event: /^admin\.user\./ }).sort({ seq: 1 }).lean();
    expect(entries.map((entry) => [entry.event, entry.details])).to.deep.equal([
      ['admin.user.deactivated', { before: { status: 'active' }, after: { status: 'deactivated' }, sessionsEnded: 1, grantsRevoked: 1, modulesNotified: 0 }],
      ['admin.user.reactivated', { before: { status: 'deactivated' }, after: { status: 'active' } }],
    ]);
  });
});
