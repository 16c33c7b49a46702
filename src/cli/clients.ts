// clients create | list | rotate-secret | remove: the EHR apps and modules allowed to sign users in.
// Registering, a new secret and removal are src/commands/clients.ts, each audited intent-first.
import { readFile } from 'node:fs/promises';
import { type AppError, appError } from '../errors.js';
import { OPERATOR, registerClient, removeClient, rotateClientSecret } from '../commands/index.js';
import type { CreateClientInput } from '../oidc/clients.js';
import type { ClientAuthMethod } from '../store/models/client.js';
import { JSON_OPTION, PROGRAM, UsageError, commandHelp, type Command, type CommandGroup, type CliIo, type Values } from './command.js';
import { isoDate, printJson, printTable } from './output.js';
import { practiceById } from './operator.js';

const CLIENT_ID = { type: 'string', value: 'ID', required: true, description: 'the client id' } as const;

/** Members that only a private (or symmetric) JWK has: a client must never hand us its private key. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

function printSecretOnce(io: CliIo, clientId: string, secret: string): void {
  io.out([
    `client_id:     ${clientId}`,
    `client_secret: ${secret}`,
    '',
    'Copy the client secret now: it is stored only as a hash and will never be shown again.',
    `If it is lost, issue a new one with "${PROGRAM} clients rotate-secret --client-id ${clientId}".`,
  ].join('\n'));
}

function authMethodOf(values: Values, usage: string): ClientAuthMethod {
  if ([values.public, values['private-key-jwt'], values['secret-post']].filter(Boolean).length > 1) {
    throw new UsageError('--public, --private-key-jwt and --secret-post exclude each other', usage);
  }
  const keys = [values['jwks-uri'], values['jwks-file']].filter((value) => value !== undefined).length;
  if (values['private-key-jwt'] && keys !== 1) throw new UsageError('--private-key-jwt needs exactly one of --jwks-uri or --jwks-file', usage);
  if (!values['private-key-jwt'] && keys > 0) throw new UsageError('--jwks-uri and --jwks-file go with --private-key-jwt', usage);
  if (values.public) return 'none';
  if (values['private-key-jwt']) return 'private_key_jwt';
  return values['secret-post'] ? 'client_secret_post' : 'client_secret_basic';
}

async function readPublicJwks(path: string): Promise<{ keys: Record<string, unknown>[] }> {
  let jwks: unknown;
  try {
    jwks = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw invalid(`--jwks-file "${path}" cannot be read as JSON`);
  }
  const keys = (jwks as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => key && typeof key === 'object' && typeof key.kty === 'string')) {
    throw invalid(`--jwks-file "${path}" must hold a JWKS: { "keys": [ { "kty": … }, … ] }`);
  }
  if (keys.some((key) => PRIVATE_MEMBERS.some((member) => member in key))) {
    throw invalid(`--jwks-file "${path}" holds private key material: give the client's PUBLIC keys only`);
  }
  return { keys: keys as Record<string, unknown>[] };
}

function assertJwksUri(uri: string): void {
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    // reported below
  }
  const loopback = url && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw invalid(`--jwks-uri "${uri}" must be an https URL (http only for localhost)`);
  }
}

const create: Command = {
  name: 'create',
  summary: 'Register an app or module; prints its client id and, once, its secret.',
  details: 'Confidential (client_secret_basic) by default; --secret-post to send that secret in the form body\n(client_secret_post); --public for apps that cannot keep a secret (PKCE required; a native app may\nuse a reverse-domain scheme such as com.example.charting:/callback); --private-key-jwt for apps that\nsign their token requests with their own key.\nIn production the back-channel logout URI and jwks_uri must resolve to public addresses, checked\nagain on every call; --internal allows a private network for this client (audited).\n--service registers a machine-to-machine client (a lab interface, a scheduling sync): it gets tokens\nfor itself with the client credentials grant, has no redirect URI and never signs a user in.',
  options: {
    name: { type: 'string', value: 'NAME', required: true, description: 'display name, shown on the consent screen' },
    'redirect-uri': { type: 'string', value: 'URL', multiple: true, description: 'where sign-in returns (https; http only for localhost); required unless --service' },
    'post-logout-redirect-uri': { type: 'string', value: 'URL', multiple: true, description: 'where sign-out may return' },
    'backchannel-logout-uri': { type: 'string', value: 'URL', description: 'receives logout tokens when the user signs out anywhere' },
    public: { type: 'boolean', description: 'a public client: no secret, PKCE required' },
    'private-key-jwt': { type: 'boolean', description: 'authenticate with a signed JWT instead of a secret' },
    'secret-post': { type: 'boolean', description: 'send the client secret in the form body (client_secret_post) instead of HTTP Basic' },
    internal: { type: 'boolean', description: 'its back-channel logout / JWKS URLs are on a private network (audited)' },
    'jwks-uri': { type: 'string', value: 'URL', description: "the client's public keys (with --private-key-jwt)" },
    'jwks-file': { type: 'string', value: 'FILE', description: "a file with the client's public JWKS (with --private-key-jwt)" },
    'first-party': { type: 'boolean', description: 'one of our own modules: skips the consent screen' },
    practice: { type: 'string', value: 'PRACTICE_ID', description: 'registered to one practice: its sign-ins enter that practice (no practice chooser)' },
    service: { type: 'boolean', description: 'machine-to-machine: client credentials grant only, no user sign-in' },
    'client-id': { type: 'string', value: 'ID', description: 'choose the client id (default: random)' },
    'smart-scope': { type: 'string', value: 'SCOPE', multiple: true, description: 'a SMART scope it may be granted (patient/Observation.rs, user/*.rs, system/*.rs, launch, launch/patient…)' },
    json: { ...JSON_OPTION, description: 'print the client id and secret as JSON' },
  },
  example: `${PROGRAM} clients create --name "Charting" --redirect-uri https://charting.example.org/callback --post-logout-redirect-uri https://charting.example.org/ --first-party`,
  async run({ values, context, io }) {
    const usage = commandHelp(clients, create);
    const authMethod = authMethodOf(values, usage);
    const redirectUris = (values['redirect-uri'] as string[] | undefined) ?? [];
    if (values.service && values.public) throw new UsageError('--service needs a confidential client: drop --public', usage);
    if (!values.service && redirectUris.length === 0) throw new UsageError('missing --redirect-uri', usage);
    if (values['jwks-uri']) assertJwksUri(String(values['jwks-uri']));
    const input: CreateClientInput = {
      name: String(values.name),
      redirectUris,
      postLogoutRedirectUris: (values['post-logout-redirect-uri'] as string[] | undefined) ?? [],
      authMethod,
      firstParty: Boolean(values['first-party']),
      ...(values.practice ? { practiceId: String((await practiceById(context, values.practice))._id) } : {}),
      serviceAccess: Boolean(values.service),
      ...(values['client-id'] ? { clientId: String(values['client-id']) } : {}),
      ...(values['backchannel-logout-uri'] ? { backchannelLogoutUri: String(values['backchannel-logout-uri']) } : {}),
      ...(values['jwks-uri'] ? { jwksUri: String(values['jwks-uri']) } : {}),
      ...(values['jwks-file'] ? { jwks: await readPublicJwks(String(values['jwks-file'])) } : {}),
      ...(values.internal ? { internal: true } : {}),
      ...(values['smart-scope'] ? { smartScopes: values['smart-scope'] as string[] } : {}),
    };
    const { client, clientSecret } = await registerClient(await context.deps(), OPERATOR, input);
    if (values.json) return printJson(io, { clientId: client._id, authMethod, serviceAccess: client.serviceAccess, ...(clientSecret ? { clientSecret } : {}) });
    io.out(`Created client "${client.name}" (${authMethod}${client.firstParty ? ', first-party' : ''}${client.serviceAccess ? ', service: client credentials' : ''}${client.internal ? ', internal: private-network URLs allowed' : ''})`);
    if (clientSecret) printSecretOnce(io, client._id, clientSecret);
    else io.out(`client_id: ${client._id}`);
  },
};

export const clients: CommandGroup = {
  name: 'clients',
  summary: 'EHR apps and modules registered as OpenID Connect clients.',
  commands: [
    create,
    {
      name: 'list',
      summary: 'List clients with their redirect URIs. Secrets are never shown.',
      options: { json: JSON_OPTION },
      example: `${PROGRAM} clients list`,
      async run({ values, context, io }) {
        const rows = await context.models.Client.find({}, { secretHash: 0, jwks: 0 }).sort({ createdAt: 1 }).lean();
        const view = rows.map((client) => ({
          clientId: client._id,
          name: client.name,
          authMethod: client.authMethod,
          firstParty: client.firstParty,
          serviceAccess: client.serviceAccess ?? false,
          active: client.active,
          redirectUris: client.redirectUris,
          postLogoutRedirectUris: client.postLogoutRedirectUris,
          backchannelLogoutUri: client.backchannelLogoutUri,
          jwksUri: client.jwksUri,
          internal: client.internal ?? false,
          created: isoDate(client.createdAt),
        }));
        if (values.json) return printJson(io, view);
        printTable(io, view, ['clientId', 'name', 'authMethod', 'firstParty', 'active', 'redirectUris'], 'No clients.');
      },
    },
    {
      name: 'rotate-secret',
      summary: 'Issue a new secret for a confidential client (the old one stops working at once).',
      options: { 'client-id': CLIENT_ID },
      example: `${PROGRAM} clients rotate-secret --client-id charting`,
      async run({ values, context, io }) {
        const clientId = String(values['client-id']);
        printSecretOnce(io, clientId, await rotateClientSecret(await context.deps(), OPERATOR, clientId));
      },
    },
    {
      name: 'remove',
      summary: 'Delete a client: it can no longer sign users in or redeem tokens.',
      options: { 'client-id': CLIENT_ID },
      example: `${PROGRAM} clients remove --client-id charting`,
      async run({ values, context, io }) {
        const clientId = String(values['client-id']);
        await removeClient(await context.deps(), OPERATOR, clientId);
        io.out(`Removed client ${clientId}`);
      },
    },
  ],
};

function invalid(message: string): AppError {
  return appError('invalid_client_metadata', { message });
}
