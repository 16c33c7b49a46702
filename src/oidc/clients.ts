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
import type { AdapterPayload, Provider } from 'oidc-provider';
import { AppError } from '../errors.js';
import type { Models } from '../store/models/index.js';
import type { Client, ClientAuthMethod } from '../store/models/client.js';

export interface CreateClientInput {
  clientId?: string;
  name: string;
  /** Where sign-in returns; required unless `serviceAccess`. */
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string;
  /** 'none' = public (browser or native app, PKCE required); default client_secret_basic. */
  authMethod?: ClientAuthMethod;
  /** Public keys for private_key_jwt. */
  jwks?: { keys: Record<string, unknown>[] };
  jwksUri?: string;
  firstParty?: boolean;
  /**
   * Machine-to-machine: tokens for the client itself through the client credentials grant. Needs a
   * confidential auth method; such a client has no redirect URIs and never signs a user in.
   */
  serviceAccess?: boolean;
}

export interface CreatedClient {
  client: Client;
  /** The plaintext secret for client_secret_basic: shown once, never stored. */
  clientSecret?: string;
}

export async function createClient(models: Models, input: CreateClientInput): Promise<CreatedClient> {
  const authMethod = input.authMethod ?? 'client_secret_basic';
  const clientId = input.clientId ?? randomBytes(12).toString('base64url');
  if (!/^[A-Za-z0-9._~-]{3,100}$/.test(clientId)) throw invalid('client id may hold letters, digits and . _ ~ - (3 to 100)');
  if (!input.name?.trim()) throw invalid('client name is required');
  const serviceAccess = input.serviceAccess ?? false;
  if (serviceAccess) assertServiceClient(input, authMethod);
  else if (!input.redirectUris?.length) throw invalid('at least one redirect URI is required');
  for (const uri of [...(input.redirectUris ?? []), ...(input.postLogoutRedirectUris ?? [])]) assertRedirectUri(uri);
  if (input.backchannelLogoutUri) assertRedirectUri(input.backchannelLogoutUri);
  if (authMethod === 'private_key_jwt' && !input.jwks && !input.jwksUri) throw invalid('private_key_jwt needs jwks or jwksUri');
  if (await models.Client.exists({ _id: clientId })) throw new AppError('client id taken', { status: 409, code: 'client_exists', userMessage: 'A client with this id already exists.' });

  const clientSecret = authMethod === 'client_secret_basic' ? newClientSecret() : undefined;
  const created = await models.Client.create({
    _id: clientId,
    name: input.name.trim(),
    redirectUris: input.redirectUris ?? [],
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
    authMethod,
    firstParty: input.firstParty ?? false,
    serviceAccess,
    active: true,
    ...(input.backchannelLogoutUri ? { backchannelLogoutUri: input.backchannelLogoutUri } : {}),
    ...(clientSecret ? { secretHash: hashClientSecret(clientSecret) } : {}),
    ...(input.jwks ? { jwks: input.jwks } : {}),
    ...(input.jwksUri ? { jwksUri: input.jwksUri } : {}),
  });
  return { client: created.toObject(), ...(clientSecret ? { clientSecret } : {}) };
}

/** Issues a new secret (the old one stops working at once); returns the plaintext once. */
export async function rotateClientSecret(models: Models, clientId: string): Promise<string> {
  const clientSecret = newClientSecret();
  const { matchedCount } = await models.Client.updateOne(
    { _id: clientId, authMethod: 'client_secret_basic' },
    { $set: { secretHash: hashClientSecret(clientSecret) } },
  );
  if (matchedCount === 0) throw new AppError('no confidential client with this id', { status: 404, code: 'client_not_found' });
  return clientSecret;
}

/** Disabled clients are unknown to the provider: no new sign-ins, no token requests. */
export async function setClientActive(models: Models, clientId: string, active: boolean): Promise<void> {
  const { matchedCount } = await models.Client.updateOne({ _id: clientId }, { $set: { active } });
  if (matchedCount === 0) throw new AppError('client not found', { status: 404, code: 'client_not_found' });
}

/**
 * A service client may use the client credentials grant and nothing else: one secret, one purpose,
 * so a leaked service secret cannot start user sign-ins, and a sign-in app's secret cannot mint
 * tokens without a user. A public client never gets it, whatever its document says.
 */
export function toClientMetadata(client: Client): AdapterPayload {
  const service = client.serviceAccess === true && client.authMethod !== 'none';
  return {
    client_id: client._id,
    client_name: client.name,
    redirect_uris: service ? [] : client.redirectUris,
    post_logout_redirect_uris: service ? [] : client.postLogoutRedirectUris,
    grant_types: service ? ['client_credentials'] : ['authorization_code', 'refresh_token'],
    response_types: service ? [] : ['code'],
    token_endpoint_auth_method: client.authMethod,
    ...(client.secretHash ? { client_secret: client.secretHash } : {}),
    ...(client.jwks ? { jwks: client.jwks as AdapterPayload['jwks'] } : {}),
    ...(client.jwksUri ? { jwks_uri: client.jwksUri } : {}),
    ...(client.backchannelLogoutUri
      ? { backchannel_logout_uri: client.backchannelLogoutUri, backchannel_logout_session_required: true }
      : {}),
    first_party: client.firstParty,
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
  if (authMethod === 'none') throw invalid('a service client must authenticate (client_secret_basic or private_key_jwt), it cannot be public');
  const signsIn = input.redirectUris?.length || input.postLogoutRedirectUris?.length || input.backchannelLogoutUri || input.firstParty;
  if (signsIn) throw invalid('a service client signs no one in: no redirect, logout URIs or first-party flag');
}

function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

function assertRedirectUri(uri: string): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw invalid(`"${uri}" is not an absolute URL`);
  }
  if (url.hash) throw invalid(`"${uri}" must not contain a fragment`);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw invalid(`"${uri}" must use https (http only for localhost)`);
  }
}

function invalid(message: string): AppError {
  return new AppError(message, { status: 400, code: 'invalid_client_metadata', userMessage: message });
}
