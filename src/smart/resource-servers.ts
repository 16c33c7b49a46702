// FHIR servers registered as OAuth resource servers. Each is stored as a client record (so it can
// authenticate at the introspection endpoint with its own secret) that carries `resourceServerUrl`,
// the FHIR base URL apps name in SMART's `aud` parameter and that access tokens carry as `aud`.
// It has no grant: it cannot sign anyone in nor obtain a token (clients.ts resourceServerMetadata).
import { randomBytes } from 'node:crypto';
import { type AppError, appError } from '../errors.js';
import type { Client } from '../store/models/client.js';
import type { Models } from '../store/models/index.js';

export interface ResourceServerDeps {
  models: Pick<Models, 'Client'>;
}

export interface AddResourceServerDeps extends ResourceServerDeps {
  /** How client secrets are stored (src/oidc/clients.ts hashClientSecret). */
  hashSecret(secret: string): string;
}

export interface ResourceServer {
  id: string;
  name: string;
  baseUrl: string;
  active: boolean;
  createdAt: Date;
  /** Its patient picker for standalone launches (src/smart/picker/), if set. */
  pickerUrl?: string;
}

/**
 * The form a base URL is stored and compared in: parsed, no query or fragment, no trailing slash
 * (`https://fhir.example.org/r4/` and `https://fhir.example.org/r4` name the same server).
 */
export function normaliseBaseUrl(raw: string): string | undefined {
  const url = URL.parse(raw);
  if (!url || url.search || url.hash || url.username || url.password) return undefined;
  return url.href.replace(/\/+$/, '');
}

export async function addResourceServer(deps: AddResourceServerDeps, input: { id: string; name: string; baseUrl: string }): Promise<{ server: ResourceServer; secret: string }> {
  if (!/^[A-Za-z0-9._~-]{3,100}$/.test(input.id)) throw invalid('the id may hold letters, digits and . _ ~ - (3 to 100)');
  if (!input.name.trim()) throw invalid('a name is required');
  const baseUrl = normaliseBaseUrl(input.baseUrl);
  const problem = baseUrl ? transportProblem(baseUrl) : 'it must be an absolute URL without query or fragment';
  if (!baseUrl || problem) throw invalid(`FHIR base URL "${input.baseUrl}": ${problem}`);
  if (await deps.models.Client.exists({ _id: input.id })) throw appError('client_id_taken', { detail: 'id taken', message: `A client or resource server with id ${input.id} already exists.` });
  if (await deps.models.Client.exists({ resourceServerUrl: baseUrl })) throw appError('resource_server_exists', { detail: 'url taken', message: `A resource server with base URL ${baseUrl} is already registered.` });
  const secret = randomBytes(32).toString('base64url');
  const created = await deps.models.Client.create({
    _id: input.id, name: input.name.trim(), redirectUris: [], postLogoutRedirectUris: [], authMethod: 'client_secret_basic',
    secretHash: deps.hashSecret(secret), firstParty: false, serviceAccess: false, active: true, resourceServerUrl: baseUrl,
  });
  return { server: toResourceServer(created.toObject()), secret };
}

export async function listResourceServers(deps: ResourceServerDeps): Promise<ResourceServer[]> {
  const rows = await deps.models.Client.find({ resourceServerUrl: { $exists: true } }, { secretHash: 0 }).sort({ createdAt: 1 }).lean();
  return rows.map(toResourceServer);
}

export async function removeResourceServer(deps: ResourceServerDeps, id: string): Promise<ResourceServer> {
  const found = await deps.models.Client.findOneAndDelete({ _id: id, resourceServerUrl: { $exists: true } }).lean();
  if (!found) throw appError('resource_server_not_found', { message: `No resource server with id ${id}.` });
  return toResourceServer(found);
}

/** The active resource server with this base URL (any accepted spelling of it), if registered. */
export async function findResourceServer(deps: ResourceServerDeps, baseUrl: string): Promise<ResourceServer | undefined> {
  const normalised = normaliseBaseUrl(baseUrl);
  if (!normalised) return undefined;
  const found = await deps.models.Client.findOne({ resourceServerUrl: normalised, active: true }, { secretHash: 0 }).lean();
  return found ? toResourceServer(found) : undefined;
}

function toResourceServer(client: Client): ResourceServer {
  return {
    id: client._id, name: client.name, baseUrl: client.resourceServerUrl!, active: client.active, createdAt: client.createdAt,
    ...(client.patientPicker ? { pickerUrl: client.patientPicker.url } : {}),
  };
}

/** Tokens are bearer credentials: https, plain http only for a loopback server (development). */
function transportProblem(baseUrl: string): string | undefined {
  const url = new URL(baseUrl);
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return undefined;
  return 'it must be https (http only for localhost)';
}

function invalid(message: string): AppError {
  return appError('invalid_resource_server', { message });
}
