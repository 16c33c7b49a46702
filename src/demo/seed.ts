// Demo data for a development start: one practice, an admin and a clinician with fixed, documented
// demo passwords (nothing is stored in clear, so the banner can only print known values), and the
// two demo EHR modules as first-party confidential clients. Idempotent: a later start finds what an
// earlier one made. Client secrets are only stored hashed, so every start issues fresh ones and
// hands them to the in-process demo modules. Refuses to run in production.
import type { AccountService } from '../accounts/service.js';
import { appError } from '../errors.js';
import { createClient, rotateClientSecret } from '../oidc/clients.js';
import type { Models } from '../store/models/index.js';
import type { UserRole } from '../store/models/user.js';

export const DEMO_PRACTICE_NAME = 'Demo Family Practice';

/** Demo-only credentials, printed on every start and in the README. Never use them elsewhere.
 *  They meet the default password policy (classes, not common, free of the demo names and emails). */
export const DEMO_USERS = {
  admin: { email: 'admin@demo-practice.example', name: 'Alex Morgan (demo admin)', role: 'admin', password: 'Sunlit-Harbor-Lantern-7!' },
  clinician: { email: 'clinician@demo-practice.example', name: 'Dr. Casey Rivera (demo)', role: 'clinician', password: 'Quiet-Meadow-Compass-4!' },
} as const satisfies Record<string, { email: string; name: string; role: UserRole; password: string }>;

export const DEMO_MODULES = {
  charting: { clientId: 'demo-charting', name: 'Charting (demo)', defaultPort: 3001 },
  billing: { clientId: 'demo-billing', name: 'Billing (demo)', defaultPort: 3002 },
} as const;

type ModuleName = keyof typeof DEMO_MODULES;

export interface DemoSeedDeps {
  models: Models;
  accounts: AccountService;
  logger?: { info(message: string): void };
  /** Where the demo modules listen on localhost (defaults 3001 and 3002). */
  ports?: Partial<Record<ModuleName, number>>;
  /** The configured NODE_ENV; process.env.NODE_ENV is checked as well. */
  nodeEnv?: string;
}

export interface DemoCredentials {
  email: string;
  password: string;
}

export interface DemoData {
  practice: { id: string; name: string };
  admin: DemoCredentials;
  clinician: DemoCredentials;
  clients: Record<ModuleName, { clientId: string; clientSecret: string }>;
}

export async function ensureDemoData({ models, accounts, logger, ports = {}, nodeEnv }: DemoSeedDeps): Promise<DemoData> {
  if (nodeEnv === 'production' || process.env.NODE_ENV === 'production') {
    throw appError('demo_in_production', { detail: 'demo data refused in production' });
  }
  const log = (message: string) => logger?.info(`demo: ${message}`);

  let practice = await models.Practice.findOne({ name: DEMO_PRACTICE_NAME });
  if (!practice) {
    practice = await accounts.createPractice({ name: DEMO_PRACTICE_NAME });
    log(`created practice "${DEMO_PRACTICE_NAME}"`);
  }

  // Existing demo users are left as they are: an operator may have deactivated one on purpose.
  for (const user of Object.values(DEMO_USERS)) {
    if (await accounts.findUserByEmail(user.email)) continue;
    await accounts.createUser({ ...user, practiceId: practice._id, emailVerified: true });
    log(`created ${user.role} ${user.email}`);
  }

  const charting = await ensureModuleClient(models, 'charting', ports.charting, log);
  const billing = await ensureModuleClient(models, 'billing', ports.billing, log);
  return {
    practice: { id: practice._id.toString(), name: practice.name },
    admin: { email: DEMO_USERS.admin.email, password: DEMO_USERS.admin.password },
    clinician: { email: DEMO_USERS.clinician.email, password: DEMO_USERS.clinician.password },
    clients: { charting, billing },
  };
}

async function ensureModuleClient(models: Models, module: ModuleName, port: number | undefined, log: (message: string) => void) {
  const { clientId, name, defaultPort } = DEMO_MODULES[module];
  const base = `http://localhost:${port ?? defaultPort}`;
  const metadata = {
    redirectUris: [`${base}/callback`],
    postLogoutRedirectUris: [`${base}/`],
    backchannelLogoutUri: `${base}/backchannel-logout`,
    authMethod: 'client_secret_basic' as const,
    firstParty: true,
  };

  if (!(await models.Client.exists({ _id: clientId }))) {
    const { clientSecret } = await createClient(models, { clientId, name, ...metadata });
    log(`registered client ${clientId}`);
    return { clientId, clientSecret: clientSecret! };
  }
  // Ports may differ from the last start; src/oidc/clients.ts has no update service, so the demo
  // client's metadata is brought in line here, before its secret is re-issued by the core.
  await models.Client.updateOne({ _id: clientId }, { $set: metadata });
  return { clientId, clientSecret: await rotateClientSecret(models, clientId) };
}

export interface DemoUrls {
  provider: string;
  charting: string;
  billing: string;
  smartApp?: string;
}

/** The start-up banner: where to go and whom to sign in as. Client secrets are never printed. */
export function printDemoBanner(data: DemoData, urls: DemoUrls, write: (line: string) => void = console.log): void {
  const rule = '─'.repeat(72);
  const rows = [
    rule,
    '  Demo (development only: these credentials are public)',
    `    Identity provider  ${urls.provider}`,
    `    Charting module    ${urls.charting}`,
    `    Billing module     ${urls.billing}`,
    ...(urls.smartApp ? [`    SMART app (demo)   ${urls.smartApp}  (launch it from Charting, or standalone with the patient picker)`] : []),
    `  Practice "${data.practice.name}": sign in as`,
    `    admin      ${data.admin.email}  password ${data.admin.password}`,
    `    clinician  ${data.clinician.email}  password ${data.clinician.password}`,
    '  Sign in on one module, then open the other: no second sign-in (SSO).',
    `  A new browser is asked for a one-time code: read it at ${urls.provider}/dev/outbox`,
    `  Your account: ${urls.provider}/account   Practice administration (admin): ${urls.provider}/admin`,
    rule,
  ];
  for (const row of rows) write(row);
}
