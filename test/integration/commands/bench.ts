// Both surfaces of an operator action against one provider: the admin pages (an admin of the
// practice signed in, forms posted with CSRF) and the operator CLI (in this process, on the same
// store, ISSUER and SMTP as the provider), plus a module with a back-channel logout endpoint so a
// test sees which sign-ins were ended and which modules were told.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import type { UserDoc } from '../../../src/accounts/service.js';
import { Browser } from '../../helpers/browser.js';
import { finishAt, isCodePage, passwordStep, submitCode } from '../../helpers/mfa.js';
import { relyingParty, type RelyingParty } from '../../helpers/rp.js';
import { PASSWORD, startAdminBench, type AdminBench } from '../admin/admin-bench.js';
import { cliEnv, expectOk, runCli, type CliResult } from '../cli/run-cli.js';

export { PASSWORD };

export interface TwinBench extends AdminBench {
  /** The `sub`s of the logout tokens the module received, in order. */
  loggedOut: string[];
  records: RelyingParty;
  cli(args: string[], stdin?: string): Promise<CliResult>;
  /** A user of the admin's practice, signed in to the module (its sign-in records in the store). */
  signedInUser(name: string, extra?: Partial<UserDoc>): Promise<UserDoc>;
  sessionsOf(sub: string): Promise<number>;
  /** The audit entries of one user (or the practice), event and details, oldest first; change.* intents left out. */
  trail(userSub?: string): Promise<Array<{ event: string; actor: string; details: unknown }>>;
}

export async function startTwinBench(): Promise<TwinBench> {
  const admin = await startAdminBench('off');
  const { server, mail, sms } = admin.bench;
  const loggedOut: string[] = [];
  const receiver: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (token) loggedOut.push(String(decodeJwt(token).sub));
      res.writeHead(token ? 200 : 400).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  await server.createClient({ clientId: 'records', authMethod: 'none', firstParty: true, redirectUris: ['http://127.0.0.1:4/callback'], backchannelLogoutUri: `http://127.0.0.1:${port}/backchannel-logout` });
  const records = await relyingParty(server, 'records');
  const env = cliEnv({ MONGODB_URI: server.store.uri, ISSUER: server.issuer, ...mail.env(), ...sms.env() });
  let sequence = 0;

  return {
    ...admin,
    loggedOut,
    records,
    cli: (args, stdin) => runCli(args, env, stdin),
    async signedInUser(name, extra = {}) {
      const user = await server.createUser({ practiceId: admin.practiceId, email: `${name}.${++sequence}@seaside.test`, name, password: PASSWORD, ...extra });
      const browser = new Browser({ from: '203.0.113.60' });
      const attempt = await passwordStep(browser, records, user.email, PASSWORD);
      const page = isCodePage(attempt.page) ? await submitCode(browser, attempt.page, (await mail.nextTo(user.email)).code!) : attempt.page;
      await finishAt(browser, attempt, records, page);
      return user;
    },
    sessionsOf: (sub) => server.models.OidcRecord.collection.countDocuments({ kind: 'Session', accountId: sub }),
    async trail(userSub) {
      const entries = await server.models.AuditEntry.find({ ...(userSub ? { userSub } : { userSub: null, practiceId: String(admin.practiceId) }), event: { $not: /^change\./ }, actor: { $ne: null } }).sort({ seq: 1 }).lean();
      return entries.map((entry) => ({ event: entry.event, actor: String(entry.actor?.role), details: entry.details }));
    },
    async close() {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await admin.close();
    },
  };
}

export { expectOk };
