// POST /smart/launch: an EHR module (a first-party confidential client, HTTP Basic with its own
// id and secret) asks for a launch value for one app and one context; it then opens the app's
// launch URL with `iss` and `launch`. JSON in, JSON out; errors are OAuth-style JSON.
//
//   { "client_id": "growth-chart", "practice": "<practice id>", "patient": "123", "encounter": "456",
//     "fhirContext": [{ "reference": "DiagnosticReport/7" }], "need_patient_banner": true,
//     "smart_style_url": "https://ehr.example.org/smart-style.json" }
//   → 201 { "launch": "<value>", "expires_in": 300 }
import type { Middleware } from 'koa';
import { Types } from 'mongoose';
import type { Models } from '../../store/models/index.js';
import type { SmartLaunchContext } from '../../store/models/smart-launch.js';
import type { ClientAuthMethod } from '../../store/models/client.js';
import { isObjectId, issueLaunch, type LaunchDeps } from './service.js';

export const LAUNCH_API_PATH = '/smart/launch';
const MAX_BODY_BYTES = 16 * 1024;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export interface LaunchApiDeps extends LaunchDeps {
  models: LaunchDeps['models'] & Pick<Models, 'Client' | 'Practice'>;
  /** Compares a presented client secret with its stored hash (src/oidc/clients.ts). */
  verifySecret(storedHash: string, presented: string): boolean;
}

/** Client authentication methods with a shared secret. */
const SECRET_METHODS: ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post'];

class Refusal extends Error {
  constructor(readonly status: number, readonly error: string, description: string) {
    super(description);
  }
}

export function launchApi(deps: LaunchApiDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== LAUNCH_API_PATH) return next();
    ctx.set('Cache-Control', 'no-store');
    try {
      if (ctx.method !== 'POST') throw new Refusal(405, 'invalid_request', 'use POST');
      const ehrClientId = await authenticateEhr(deps, ctx.get('authorization'));
      if (!ctx.is('application/json')) throw new Refusal(400, 'invalid_request', 'send application/json');
      const body = await readJson(ctx.req);
      const appClientId = stringField(body, 'client_id', true)!;
      const app = await deps.models.Client.findOne({ _id: appClientId, active: true }).lean();
      if (!app || !(app.smartScopes ?? []).includes('launch')) {
        throw new Refusal(400, 'invalid_request', `client_id "${appClientId}" is not an active app registered for the launch scope`);
      }
      const practice = stringField(body, 'practice', true)!;
      if (!isObjectId(practice) || !(await deps.models.Practice.exists({ _id: practice }))) throw new Refusal(400, 'invalid_request', 'practice: no such practice');
      const context = launchContext(body);
      const { launch, expiresIn } = await issueLaunch(deps, { appClientId, ehrClientId, practiceId: new Types.ObjectId(practice), context });
      ctx.status = 201;
      ctx.body = { launch, expires_in: expiresIn };
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      ctx.status = err.status;
      if (err.status === 401) ctx.set('WWW-Authenticate', 'Basic realm="smart-launch"');
      ctx.body = { error: err.error, error_description: err.message };
    }
  };
}

async function authenticateEhr(deps: LaunchApiDeps, authorization: string): Promise<string> {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization);
  const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const fail = new Refusal(401, 'invalid_client', 'an EHR module authenticates with HTTP Basic (its client id and secret)');
  if (colon < 0) throw fail;
  let id: string;
  let secret: string;
  try {
    id = decodeURIComponent(decoded.slice(0, colon));
    secret = decodeURIComponent(decoded.slice(colon + 1));
  } catch {
    throw fail;
  }
  // Only our own confidential modules launch apps: not a third-party app, a service or a FHIR server.
  const client = await deps.models.Client.findOne({ _id: id, active: true, firstParty: true, serviceAccess: { $ne: true }, resourceServerUrl: { $exists: false }, authMethod: { $in: SECRET_METHODS } }).lean();
  if (!client?.secretHash || !deps.verifySecret(client.secretHash, secret)) throw fail;
  return client._id;
}

function launchContext(body: Record<string, unknown>): SmartLaunchContext {
  const patient = stringField(body, 'patient');
  const encounter = stringField(body, 'encounter');
  for (const [name, value] of [['patient', patient], ['encounter', encounter]] as const) {
    if (value !== undefined && !FHIR_ID.test(value)) throw new Refusal(400, 'invalid_request', `${name} must be a FHIR id (letters, digits, - and ., at most 64)`);
  }
  const fhirContext = body.fhirContext;
  if (fhirContext !== undefined && !(Array.isArray(fhirContext) && fhirContext.length <= 10 && fhirContext.every(isContextItem))) {
    throw new Refusal(400, 'invalid_request', 'fhirContext must be an array (at most 10) of objects with a reference, canonical or identifier');
  }
  const banner = body.need_patient_banner;
  if (banner !== undefined && typeof banner !== 'boolean') throw new Refusal(400, 'invalid_request', 'need_patient_banner must be true or false');
  const style = stringField(body, 'smart_style_url');
  if (style !== undefined && URL.parse(style)?.protocol !== 'https:') throw new Refusal(400, 'invalid_request', 'smart_style_url must be an https URL');
  return {
    ...(patient ? { patient } : {}),
    ...(encounter ? { encounter } : {}),
    ...(fhirContext ? { fhirContext: fhirContext as Record<string, unknown>[] } : {}),
    ...(banner !== undefined ? { need_patient_banner: banner } : {}),
    ...(style ? { smart_style_url: style } : {}),
  };
}

function isContextItem(item: unknown): boolean {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return false;
  const record = item as Record<string, unknown>;
  return ['reference', 'canonical', 'identifier'].some((key) => key in record) && JSON.stringify(record).length <= 1024;
}

function stringField(body: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !value) throw new Refusal(400, 'invalid_request', `${name} must be a non-empty string`);
  return value;
}

async function readJson(stream: AsyncIterable<Buffer | string>): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Refusal(413, 'invalid_request', `body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Refusal(400, 'invalid_request', 'the body must be a JSON object');
}
