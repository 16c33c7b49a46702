/**
 * A running identity provider for integration tests: real store (storeUnderTest), real HTTP server
 * on a random 127.0.0.1 port, issuer `http://127.0.0.1:PORT`, plus fixture factories that go
 * through the same services the app and the CLI use.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import { loadConfig, type Config } from '../../src/config/index.js';
import { createApp, type IdpApp, type Logger } from '../../src/app/create-app.js';
import { createClient, type CreateClientInput, type CreatedClient } from '../../src/oidc/clients.js';
import { openConnection } from '../../src/store/connection.js';
import { LIMIT_NAMES } from '../../src/config/limit-rules.js';
import { createModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import type { CreateUserInput, PracticeDoc, UserDoc } from '../../src/accounts/service.js';
import type { MfaPolicy } from '../../src/store/models/practice.js';
import { TEST_AUDIT_KEY } from './audit-keys.js';
import { FakeClock } from './clock.js';
import { keepGeneratedSigningKeys, seedSigningKeys } from './signing-keys.js';
import { storeUnderTest, type StoreUnderTest } from './store.js';

export interface StartServerOptions {
  /** Share a store with another server (restart / second instance); the caller closes it. */
  store?: StoreUnderTest;
  /** Claim another instance's issuer (a second instance behind the same name). */
  issuer?: string;
  /** The issuer's host name: `localhost` for WebAuthn in a browser (an IP cannot be an RP ID). */
  hostname?: 'localhost' | '127.0.0.1';
  /** Extra configuration (environment variable names), on top of NODE_ENV=test. */
  env?: Record<string, string>;
  /**
   * MFA mode of the practices the fixtures create when none is named. Default `off`, so tests of
   * other features see a password-only sign-in; MFA tests name the mode they test.
   */
  mfaPolicy?: MfaPolicy;
  /**
   * The app's clock, apart from the store's TTL clock: advancing it moves our rules (code expiry,
   * lockout) without expiring the provider's authorization codes in the store. Default: the store's.
   */
  clock?: FakeClock;
  /** Where the app logs (default: quiet but for errors). */
  logger?: Logger;
  /** Hash passwords with the configuration's own argon2 parameters, not TEST_ARGON2 (tests of the hashes). */
  productionArgon2?: boolean;
}

/**
 * How test servers hash passwords unless told otherwise: argon2id with 1 MiB and one pass, about
 * 1 ms of CPU a hash instead of about 60 ms with the production parameters (19 MiB, two passes),
 * for suites that create and sign in thousands of users. The config schema allows parameters below
 * the OWASP minimum only with NODE_ENV=test (test/unit/config/config.test.ts proves the floor), and
 * the production parameters stay tested where the hash itself matters (`productionArgon2`:
 * test/integration/oidc/login.test.ts hashes, verifies and upgrades with them).
 */
export const TEST_ARGON2 = { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' } as const;

export interface TestServer {
  issuer: string;
  url(path: string): string;
  idp: IdpApp;
  readonly provider: IdpApp['provider'];
  models: Models;
  connection: Connection;
  config: Config;
  clock: FakeClock;
  store: StoreUnderTest;
  createPractice(input?: { name?: string; mfaPolicy?: MfaPolicy }): Promise<PracticeDoc>;
  createUser(input?: Partial<CreateUserInput> & { password?: string }): Promise<UserDoc>;
  createClient(input: Partial<CreateClientInput> & { redirectUris: string[] }): Promise<CreatedClient>;
  close(): Promise<void>;
}

/** Tests of other features sign in many times in one frozen minute: abuse limits stay out of their way (rate-limit tests set their own). */
const UNLIMITED = LIMIT_NAMES.map((name) => `${name}=1000000/60`).join(',');
const quiet = { info() {}, warn() {}, error: (message: string) => console.error(message) };
let sequence = 0;

export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  const store = options.store ?? (await storeUnderTest());
  // The provider runs on real time; align the store's TTL clock with it (it starts in 2030).
  store.clock?.set(Date.now());
  const clock = options.clock ?? store.clock ?? new FakeClock(Date.now());

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = options.issuer ?? `http://${options.hostname ?? '127.0.0.1'}:${port}`;

  const connection = await openConnection(store.uri);
  const models = createModels(connection);
  await ensureIndexes(models);
  const config = loadConfig({ env: { NODE_ENV: 'test', ...(options.productionArgon2 ? {} : TEST_ARGON2), ISSUER: issuer, RATE_LIMITS: UNLIMITED, AUDIT_KEY: TEST_AUDIT_KEY, ...options.env } });
  // A store of its own starts with this process's signing keys, as on a second start (test/helpers/signing-keys.ts).
  const seeded = !options.store && !config.signingKeys && (await seedSigningKeys(models, clock.now()));
  const idp = await createApp({ config, connection, clock: clock.now, logger: options.logger ?? quiet, issuer });
  if (!options.store && !config.signingKeys && !seeded) await keepGeneratedSigningKeys(models);
  server.on('request', idp.app.callback());

  const mfaPolicy = options.mfaPolicy ?? 'off';
  let defaultPractice: PracticeDoc | undefined;
  const practiceFor = async (practiceId?: CreateUserInput['practiceId']) =>
    practiceId ?? (defaultPractice ??= await idp.accounts.createPractice({ name: 'Test Practice', mfaPolicy }))._id;

  let closing: Promise<void> | undefined;
  return {
    issuer,
    url: (path) => new URL(path, `http://${options.hostname ?? '127.0.0.1'}:${port}`).href,
    idp,
    get provider() {
      return idp.provider;
    },
    models,
    connection,
    config,
    clock,
    store,
    createPractice: (input = {}) => idp.accounts.createPractice({ name: input.name ?? `Practice ${++sequence}`, mfaPolicy: input.mfaPolicy ?? mfaPolicy }),
    createUser: async (input = {}) => idp.accounts.createUser({
      email: input.email ?? `user${++sequence}@clinic.test`,
      name: input.name ?? 'Dr Test User',
      role: input.role ?? 'clinician',
      emailVerified: input.emailVerified ?? true,
      ...input,
      practiceId: await practiceFor(input.practiceId),
    }),
    createClient: (input) => createClient(models, { name: input.name ?? `Module ${++sequence}`, ...input }),
    close: () => (closing ??= (async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
      if (!options.store) await store.close();
    })()),
  };
}
