// EHR apps and modules registered as OIDC clients: the service the CLI calls, and the mapping to
// oidc-provider metadata used by the adapter.
//
// Client secrets are stored hashed. oidc-provider expects the plaintext in `client_secret`: it
// compares it in Client#compareClientSecret and would use it as an HMAC key for HS* algorithms
// and client_secret_jwt. We disable every HS* algorithm and client_secret_jwt, hand the provider
// the hash as `client_secret`, and replace compareClientSecret to hash the presented secret first
// (installClientSecretVerifier). Secrets are 256-bit CSPRNG values, so a fast SHA-256 is enough:
// nothing to brute-force, and no argon2 cost an attacker could trigger on every token request.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AdapterPayload, Provider } from 'oidc-provider';
import { type AppError, appError } from '../errors.js';
import type { Models } from '../store/models/index.js';
import type { Client, ClientAuthMethod } from '../store/models/client.js';
import { isPublicAddress } from '../net/public-address.js';
import { isPrivateUseScheme, redirectUriProblem } from './redirect-uris.js';
import { registeredScopeProblem } from '../smart/scopes.js';

export interface CreateClientInput {
  clientId?: string;
  name: string;
  /** Where sign-in returns; required unless `serviceAccess`. */
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string;
  /** 'none' = public (browser or native app, PKCE required); default client_secret_basic (client_secret_post: the secret in the form body). */
  authMethod?: ClientAuthMethod;
  /** Public keys for private_key_jwt. */
  jwks?: { keys: Record<string, unknown>[] };
  jwksUri?: string;
  firstParty?: boolean;
  /** Registered to one practice: sign-ins through it enter that practice, no chooser. */
  practiceId?: string;
  /**
   * Machine-to-machine: tokens for the client itself through the client credentials grant. Needs a
   * confidential auth method; such a client has no redirect URIs and never signs a user in.
   */
  serviceAccess?: boolean;
  /**
   * The back-channel logout / jwks_uri URLs are on a private network: allowed although
   * `publicTargetsOnly`. The caller audits it.
   */
  internal?: boolean;
  /** SMART scopes it may be granted (`patient/Observation.rs`, `launch`…; src/smart/scopes.ts). */
  smartScopes?: string[];
}

export interface CreateClientOptions {
  /** Back-channel logout and jwks_uri must resolve to public addresses (unless `internal`): production. */
  publicTargetsOnly?: boolean;
  /** Name → addresses (default: the system resolver). */
  resolve?: (hostname: string) => Promise<string[]>;
}

/** Client secret methods: the secret is generated here, shown once, stored hashed. */
export const SECRET_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post'];

export interface CreatedClient {
  client: Client;
  /** The plaintext secret for client_secret_basic: shown once, never stored. */
  clientSecret?: string;
}

export async function createClient(models: Models, input: CreateClientInput, options: CreateClientOptions = {}): Promise<CreatedClient> {
  const authMethod = input.authMethod ?? 'client_secret_basic';
  const clientId = input.clientId ?? randomBytes(12).toString('base64url');
  if (!/^[A-Za-z0-9._~-]{3,100}$/.test(clientId)) throw invalid('client id may hold letters, digits and . _ ~ - (3 to 100)');
  if (!input.name?.trim()) throw invalid('client name is required');
  const serviceAccess = input.serviceAccess ?? false;
  if (serviceAccess) assertServiceClient(input, authMethod);
  else if (!input.redirectUris?.length) throw invalid('at least one redirect URI is required');
  const nativeApp = authMethod === 'none';
  for (const uri of [...(input.redirectUris ?? []), ...(input.postLogoutRedirectUris ?? [])]) {
    const problem = redirectUriProblem(uri, { nativeApp });
    if (problem) throw invalid(problem);
  }
  const targets = [input.backchannelLogoutUri, input.jwksUri].filter((uri): uri is string => uri !== undefined);
  if (input.internal && targets.length === 0) throw invalid('internal applies to a back-channel logout URI or a jwks_uri, and none is given');
  for (const uri of targets) await assertCallTarget(uri, { publicOnly: Boolean(options.publicTargetsOnly) && !input.internal, resolve: options.resolve ?? resolveHost });
  for (const scope of input.smartScopes ?? []) {
    const problem = registeredScopeProblem(scope);
    if (problem) throw invalid(problem);
  }
  if (authMethod === 'private_key_jwt' && !input.jwks && !input.jwksUri) throw invalid('private_key_jwt needs jwks or jwksUri');
  if (await models.Client.exists({ _id: clientId })) throw appError('client_exists', { detail: 'client id taken' });

  const clientSecret = SECRET_METHODS.includes(authMethod) ? newClientSecret() : undefined;
  const created = await models.Client.create({
    _id: clientId,
    name: input.name.trim(),
    redirectUris: input.redirectUris ?? [],
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
    authMethod,
    firstParty: input.firstParty ?? false,
    ...(input.practiceId ? { practiceId: input.practiceId } : {}),
    serviceAccess,
    active: true,
    internal: Boolean(input.internal),
    // Stored as the provider will call them (new URL().href), so the internal mark matches at call time.
    ...(input.backchannelLogoutUri ? { backchannelLogoutUri: new URL(input.backchannelLogoutUri).href } : {}),
    ...(clientSecret ? { secretHash: hashClientSecret(clientSecret) } : {}),
    ...(input.jwks ? { jwks: input.jwks } : {}),
    ...(input.jwksUri ? { jwksUri: new URL(input.jwksUri).href } : {}),
    ...(input.smartScopes?.length ? { smartScopes: [...new Set(input.smartScopes)] } : {}),
  });
  return { client: created.toObject(), ...(clientSecret ? { clientSecret } : {}) };
}

/** Issues a new secret (the old one stops working at once); returns the plaintext once. */
export async function rotateClientSecret(models: Models, clientId: string): Promise<string> {
  const clientSecret = newClientSecret();
  const { matchedCount } = await models.Client.updateOne(
    { _id: clientId, authMethod: { $in: SECRET_METHODS } },
    { $set: { secretHash: hashClientSecret(clientSecret) } },
  );
  if (matchedCount === 0) throw appError('confidential_client_not_found');
  return clientSecret;
}

/**
 * A service client may use the client credentials grant and nothing else: one secret, one purpose,
 * so a leaked service secret cannot start user sign-ins, and a sign-in app's secret cannot mint
 * tokens without a user. A public client never gets it, whatever its document says.
 */
export function toClientMetadata(client: Client): AdapterPayload {
  const service = client.serviceAccess === true && client.authMethod !== 'none';
  // A FHIR server (src/smart/resource-servers.ts) authenticates only to introspect: no grant at all.
  if (client.resourceServerUrl) return resourceServerMetadata(client);
  return {
    client_id: client._id,
    client_name: client.name,
    redirect_uris: service ? [] : client.redirectUris,
    post_logout_redirect_uris: service ? [] : client.postLogoutRedirectUris,
    grant_types: service ? ['client_credentials'] : ['authorization_code', 'refresh_token'],
    response_types: service ? [] : ['code'],
    token_endpoint_auth_method: client.authMethod,
    // A public client with a private-use scheme redirect is a native app (RFC 8252).
    ...(client.authMethod === 'none' && client.redirectUris.some(isPrivateUseScheme) ? { application_type: 'native' } : {}),
    ...(client.secretHash ? { client_secret: client.secretHash } : {}),
    ...(client.jwks ? { jwks: client.jwks as AdapterPayload['jwks'] } : {}),
    ...(client.jwksUri ? { jwks_uri: client.jwksUri } : {}),
    ...(client.backchannelLogoutUri
      ? { backchannel_logout_uri: client.backchannelLogoutUri, backchannel_logout_session_required: true }
      : {}),
    first_party: client.firstParty,
    ...(client.practiceId ? { practice_id: String(client.practiceId) } : {}),
    ...(client.smartScopes?.length ? { smart_scopes: client.smartScopes } : {}),
  };
}

function resourceServerMetadata(client: Client): AdapterPayload {
  return {
    client_id: client._id,
    client_name: client.name,
    redirect_uris: [],
    grant_types: [],
    response_types: [],
    token_endpoint_auth_method: client.authMethod,
    ...(client.secretHash ? { client_secret: client.secretHash } : {}),
  };
}

const SECRET_PREFIX = 'sha256:';

export function hashClientSecret(secret: string): string {
  return SECRET_PREFIX + createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export function verifyClientSecret(storedHash: string, presented: string): boolean {
  const expected = Buffer.from(storedHash, 'utf8');
  const actual = Buffer.from(hashClientSecret(presented), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function installClientSecretVerifier(provider: Provider): void {
  const prototype = provider.Client.prototype as unknown as {
    clientSecret?: string;
    compareClientSecret(actual: string): boolean;
  };
  prototype.compareClientSecret = function compareClientSecret(actual: string) {
    return typeof this.clientSecret === 'string' && typeof actual === 'string' && verifyClientSecret(this.clientSecret, actual);
  };
}

function assertServiceClient(input: CreateClientInput, authMethod: ClientAuthMethod): void {
  if (authMethod === 'none') throw invalid('a service client must authenticate (client_secret_basic, client_secret_post or private_key_jwt), it cannot be public');
  const signsIn = input.redirectUris?.length || input.postLogoutRedirectUris?.length || input.backchannelLogoutUri || input.firstParty;
  if (signsIn) throw invalid('a service client signs no one in: no redirect, logout URIs or first-party flag');
}

function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A URL the provider will call (back-channel logout, jwks_uri): https (http only for loopback, in
 * development), no userinfo or fragment; with `publicOnly`, its host must be, or resolve only to,
 * public addresses now (and the call-time check in outbound-fetch.ts repeats it on every call).
 */
async function assertCallTarget(uri: string, { publicOnly, resolve }: { publicOnly: boolean; resolve: (host: string) => Promise<string[]> }): Promise<void> {
  const problem = redirectUriProblem(uri, { nativeApp: false });
  if (problem) throw invalid(problem);
  if (!publicOnly) return;
  const host = new URL(uri).hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host) ? [host] : await resolve(host).catch(() => [] as string[]);
  if (addresses.length === 0) throw invalid(`"${uri}": ${host} does not resolve; it must resolve to public addresses (or register the client with --internal)`);
  const inside = addresses.find((address) => !isPublicAddress(address));
  if (inside) throw invalid(`"${uri}": ${host === inside ? host : `${host} resolves to ${inside}, which`} is not a public address; a client on a private network must be registered with --internal`);
}

async function resolveHost(hostname: string): Promise<string[]> {
  return (await lookup(hostname, { all: true })).map(({ address }) => address);
}

function invalid(message: string): AppError {
  return appError('invalid_client_metadata', { message });
}
