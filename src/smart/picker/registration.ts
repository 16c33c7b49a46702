// The patient picker of a FHIR server (standalone launch, docs/smart.md "Patient picker"): the URL
// the browser is sent to, and the public keys the picker signs its selections with. It belongs to
// the resource server's registration: the EHR that serves the FHIR data is the one that knows its
// patients, and the selection's `iss` is that registration's id.
import { importJWK } from 'jose';
import { type AppError, appError } from '../../errors.js';
import type { Models } from '../../store/models/index.js';
import { findResourceServer } from '../resource-servers.js';

/** Signature algorithms a picker may sign with (asymmetric only: we hold no shared secret). */
export const SELECTION_ALGS = ['RS256', 'RS384', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const;
const MAX_KEYS = 5;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Private key members of RSA, EC and OKP keys, and the symmetric key member. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

export interface PatientPicker {
  /** The resource server's id: the `iss` of its selections. */
  id: string;
  url: string;
  jwks: { keys: Record<string, unknown>[] };
}

export interface PickerDeps {
  models: Pick<Models, 'Client'>;
  /** http on a loopback address is refused in production. */
  production: boolean;
}

/** Sets (or, without a picker, removes) the patient picker of resource server `id`. */
export async function setPatientPicker(deps: PickerDeps, id: string, picker: { url: string; jwks: unknown } | undefined): Promise<{ before?: string; after?: string }> {
  const found = await deps.models.Client.findOne({ _id: id, resourceServerUrl: { $exists: true } }, { patientPicker: 1 }).lean();
  if (!found) throw appError('resource_server_not_found', { message: `No resource server with id ${id}.` });
  if (!picker) {
    await deps.models.Client.updateOne({ _id: id }, { $unset: { patientPicker: 1 } });
    return { ...(found.patientPicker ? { before: found.patientPicker.url } : {}) };
  }
  const url = pickerUrl(picker.url, deps.production);
  const jwks = await pickerJwks(picker.jwks);
  await deps.models.Client.updateOne({ _id: id }, { $set: { patientPicker: { url, jwks } } });
  return { ...(found.patientPicker ? { before: found.patientPicker.url } : {}), after: url };
}

/** The picker of the active FHIR server at `baseUrl`, if it has one. */
export async function pickerFor(deps: Pick<PickerDeps, 'models'>, baseUrl: string): Promise<PatientPicker | undefined> {
  const server = await findResourceServer(deps, baseUrl);
  if (!server) return undefined;
  const found = await deps.models.Client.findOne({ _id: server.id, active: true }, { patientPicker: 1 }).lean();
  return found?.patientPicker ? { id: server.id, ...found.patientPicker } : undefined;
}

function pickerUrl(raw: string, production: boolean): string {
  const url = URL.parse(raw);
  if (!url || url.search || url.hash || url.username || url.password) throw invalid(`picker URL "${raw}": it must be an absolute URL without query, fragment or user name`);
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(loopbackHttp && !production)) throw invalid(`picker URL "${raw}": it must be https (http only for localhost, in development)`);
  return url.href;
}

/** Public keys only, each one a signing key for an algorithm we accept. */
async function pickerJwks(raw: unknown): Promise<{ keys: Record<string, unknown>[] }> {
  const keys = (raw as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS) throw invalid(`the picker's JWKS must be {"keys": [...]} with 1 to ${MAX_KEYS} public keys`);
  for (const key of keys as Record<string, unknown>[]) {
    if (!key || typeof key !== 'object' || PRIVATE_MEMBERS.some((member) => member in key)) throw invalid("the picker's JWKS must hold public keys only (no private or symmetric key)");
    if (key.use !== undefined && key.use !== 'sig') throw invalid('a picker key must be a signing key (use "sig")');
    const alg = typeof key.alg === 'string' ? key.alg : undefined;
    if (!alg || !(SELECTION_ALGS as readonly string[]).includes(alg)) throw invalid(`every picker key names its alg, one of ${SELECTION_ALGS.join(', ')}`);
    try {
      await importJWK(key, alg);
    } catch {
      throw invalid(`a picker key is not a valid ${alg} public key`);
    }
  }
  return { keys: keys as Record<string, unknown>[] };
}

function invalid(message: string): AppError {
  return appError('invalid_resource_server', { message });
}
