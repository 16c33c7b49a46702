// Our provider for `npm run bench`, in its own process: the test server factory (real HTTP on a
// random 127.0.0.1 port, embedded store or MONGODB_URI) on the real clock, with fixtures. Prints
// one `@bench {json}` line (URL, client, users), then answers the driver's commands:
//   BENCH_STORE=memory|data-dir (embedded store in memory, the default, or on a data directory:
//   journal, fsync, compaction and the TTL monitor at its production 60 s), BENCH_EXTRA_USERS=N
//   (N more users of the password practice, bulk-loaded: the 100k-user row).
//   {"cmd":"rss"}                   → { rssMiB }
//   {"cmd":"memory"}                → { rssMiB, heapUsedMiB, dataDirMiB }
//   {"cmd":"cpu"}                   → { cpuMicros }  (CPU so far, all threads: the driver divides by operations)
//   {"cmd":"sessions","count":N}    → { rssMiB, inserted, ms }  (N sessions saved through the provider's Session model)
//   {"cmd":"passwordless","on":B}   → {}  (the passkey practice's "passwordless allowed": on only for the passkey rows,
//                                          since while any practice allows it every sign-in page carries a challenge)
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Types } from 'mongoose';
import { startEmbeddedStore } from '../src/store/embedded/index.js';
import type { StoreUnderTest } from '../test/helpers/store.js';
import type { Session } from 'oidc-provider';
import { FakeClock } from '../test/helpers/clock.js';
import { startServer } from '../test/helpers/server.js';
import { TTL } from '../src/sessions/ttl.js';
import { residentMiB, serveCommands } from './child.js';
import { cpuSoFar } from './load.js';
import { SoftAuthenticator, type ExportedCredential } from '../test/helpers/soft-authenticator.js';
import { BENCH_CLIENT, BENCH_PASSWORD, BENCH_REDIRECT, BENCH_SERVICE_CLIENT, type ServiceClient } from './fixtures.js';


/** The app's clock is real time: the benchmark must see the rules as production does. */
class RealClock extends FakeClock {
  override readonly now = (): number => Date.now();
}

export interface OurServerInfo {
  issuer: string;
  clientId: string;
  redirectUri: string;
  /** A service client for the client credentials runs. */
  service: ServiceClient;
  password: string;
  /** Users of a practice in mode `off`: a password-only sign-in. */
  passwordUsers: string[];
  /** Users of a practice in mode `always`: every sign-in asks an email code. */
  emailCodeUsers: string[];
  /** Passkeys (software, ES256) of the users of a practice allowing passwordless sign-in, one each. */
  passkeys: ExportedCredential[];
  store: string;
  /** Users in the store (the fixtures plus BENCH_EXTRA_USERS). */
  users: number;
  rssAtRestMiB: number;
}

const USERS = Number(process.env.BENCH_USERS ?? 16);
const EXTRA_USERS = Number(process.env.BENCH_EXTRA_USERS ?? 0);
const dataDir = process.env.BENCH_STORE === 'data-dir' ? mkdtempSync(join(tmpdir(), 'bench-data-')) : undefined;

/** The embedded store on a data directory, on the real clock with its TTL monitor running, as in production. */
async function durableStore(dir: string): Promise<StoreUnderTest> {
  const embedded = await startEmbeddedStore({ dataDir: dir, logger: { info() {}, warn: (msg) => console.error(`[store] ${msg}`) } });
  return {
    uri: embedded.uriFor('bench'), dbName: 'bench', clock: null, embedded,
    close: async () => {
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
const store = dataDir ? await durableStore(dataDir) : undefined;
const server = await startServer({ clock: new RealClock(), ...(store ? { store } : {}), env: {
  // The per-user cap on code messages (5 in 15 minutes) would refuse the repeated sign-ins of one
  // benchmark user: the benchmark measures the cost of a sign-in, not the cap.
  CODE_MESSAGES_MAX: '100',
  ...(process.env.SMTP_URL ? { SMTP_URL: process.env.SMTP_URL, SMTP_FROM: 'Sign-in <no-reply@bench.test>' } : {}),
} });
const off = await server.createPractice({ name: 'Bench password only', mfaPolicy: 'off' });
const always = await server.createPractice({ name: 'Bench email code', mfaPolicy: 'always' });
const makeUsers = async (prefix: string, practiceId: typeof off._id) => {
  const emails: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const email = `${prefix}${i}@bench.test`;
    await server.createUser({ email, password: BENCH_PASSWORD, practiceId });
    emails.push(email);
  }
  return emails;
};
const passwordUsers = await makeUsers('pwd', off._id);
await loadExtraUsers(EXTRA_USERS);
const emailCodeUsers = await makeUsers('code', always._id);
const passkeyPractice = await server.createPractice({ name: 'Bench passkey', mfaPolicy: 'risk' });
const passkeys = await makePasskeyUsers();
await server.createClient({ clientId: BENCH_CLIENT, authMethod: 'none', firstParty: true, redirectUris: [BENCH_REDIRECT] });
const { clientSecret } = await server.createClient({ clientId: BENCH_SERVICE_CLIENT, redirectUris: [], serviceAccess: true });
const service: ServiceClient = { clientId: BENCH_SERVICE_CLIENT, clientSecret: clientSecret! };

/**
 * Bulk-loads `count` more users of the password practice, copies of the first one (same hash) with
 * their own _id, sub and email, in insertMany batches of 10,000 (the way an import would).
 */
async function loadExtraUsers(count: number): Promise<void> {
  if (!count) return;
  const template = (await server.models.User.collection.findOne({ email: passwordUsers[0] }))!;
  const { _id: _ignored, ...fields } = template;
  for (let from = 0; from < count; from += 10_000) {
    const docs = Array.from({ length: Math.min(10_000, count - from) }, (_, k) => ({
      ...fields, _id: new Types.ObjectId(), sub: randomUUID(), email: `bulk${from + k}@bench.test`,
    }));
    await server.models.User.collection.insertMany(docs);
  }
}

/** Users of the passkey practice, each with a software passkey stored as a registration would store it. */
async function makePasskeyUsers(): Promise<ExportedCredential[]> {
  const soft = new SoftAuthenticator(new URL(server.issuer).origin);
  const made: ExportedCredential[] = [];
  for (let i = 0; i < USERS; i++) {
    const user = await server.createUser({ email: `pk${i}@bench.test`, password: BENCH_PASSWORD, practiceId: passkeyPractice._id });
    const credential = soft.create(new URL(server.issuer).hostname, Buffer.from(user.sub).toString('base64url'));
    await server.models.UserFactor.create({
      _id: new Types.ObjectId(), userId: user._id, kind: 'webauthn', name: 'Bench passkey', createdAt: new Date(), confirmedAt: new Date(),
      credentialId: credential.id.toString('base64url'), publicKey: credential.publicCose.toString('base64url'), counter: 0,
      transports: ['internal'], deviceType: 'singleDevice', discoverable: true,
    });
    made.push(SoftAuthenticator.exported(credential));
  }
  return made;
}

function dataDirMiB(): number {
  if (!dataDir) return 0;
  return Math.round((readdirSync(dataDir).reduce((sum, file) => sum + statSync(join(dataDir, file)).size, 0) / 2 ** 20) * 10) / 10;
}

type SessionClass = new (payload: Record<string, unknown>) => Session;

/** Saves `count` signed-in sessions through the provider's own Session model and store adapter. */
async function insertSessions(count: number): Promise<{ rssMiB: number; inserted: number; ms: number }> {
  const SessionModel = server.provider.Session as unknown as SessionClass;
  const accountId = String((await server.models.User.findOne({ email: passwordUsers[0] }).lean())!.sub);
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const session = new SessionModel({ jti: randomBytes(21).toString('base64url'), uid: randomBytes(21).toString('base64url') });
      session.loginAccount({ accountId, amr: ['pwd'], loginTs: Math.floor(Date.now() / 1000) });
      await session.save(TTL.Session);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return { rssMiB: residentMiB(), inserted: count, ms: Math.round(performance.now() - t0) };
}

const info: OurServerInfo = {
  issuer: server.issuer,
  clientId: BENCH_CLIENT,
  redirectUri: BENCH_REDIRECT,
  service,
  password: BENCH_PASSWORD,
  passwordUsers,
  emailCodeUsers,
  passkeys,
  store: process.env.MONGODB_URI ? 'mongodb' : dataDir ? 'embedded, data directory' : 'embedded, memory',
  users: (await server.models.User.estimatedDocumentCount()),
  rssAtRestMiB: residentMiB(),
};
serveCommands(info, async (command) => {
  if (command.cmd === 'rss') return { rssMiB: residentMiB() };
  if (command.cmd === 'memory') return { rssMiB: residentMiB(), heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20), dataDirMiB: dataDirMiB() };
  if (command.cmd === 'cpu') return cpuSoFar();
  if (command.cmd === 'sessions') return insertSessions(Number(command.count));
  if (command.cmd === 'passwordless') {
    await server.idp.accounts.setPasskeyPolicy(passkeyPractice._id, { passwordlessAllowed: command.on === true, phishingResistantRequired: 'nobody' });
    return {};
  }
  throw new Error(`unknown command ${String(command.cmd)}`);
});
process.once('SIGTERM', () => {
  server.close().then(() => store?.close()).then(() => process.exit(0), () => process.exit(1));
});
