// SMART App Launch 2.2 scopes (HL7, "Scopes and Launch Context"), parsed and compared. Pure: no I/O.
//
//   clinical scope   (patient|user|system)/(<Resource>|*).<c?r?u?d?s?>[?param=value&...]
//   v1 form          (patient|user|system)/(<Resource>|*).(read|write|*)   → mapped to v2 (rs, cud, cruds)
//   context scopes   launch, launch/patient, launch/encounter, online_access (fhirUser is an OIDC scope)
//
// A requested clinical scope is allowed when one of the client's registered scopes covers it: same
// context, same resource (or the registered one is `*`), every requested permission registered,
// and the registered query (if any) equal to the requested one.

export const SMART_CONTEXTS = ['patient', 'user', 'system'] as const;
export type SmartContext = (typeof SMART_CONTEXTS)[number];

/** Permissions in the order the spec writes them. */
export const PERMISSIONS = ['c', 'r', 'u', 'd', 's'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Scopes about the launch, not about FHIR data: carried on the access token as they are. */
export const LAUNCH_SCOPES = ['launch', 'launch/patient', 'launch/encounter', 'online_access'] as const;

export interface ClinicalScope {
  context: SmartContext;
  /** A FHIR resource type, or `*`. */
  resource: string;
  permissions: ReadonlySet<Permission>;
  /** The `?a=b&c=d` part, normalised (parameters kept in the order given). */
  query?: string;
  /** The scope in v2 form: what is granted and put on the token. */
  v2: string;
  /** Written in v1 form (`.read`, `.write`, `.*`). */
  v1: boolean;
}

const V1_PERMISSIONS: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' };
const RESOURCE = /^(\*|[A-Z][A-Za-z]{1,63})$/;
const V2_PERMISSIONS = /^c?r?u?d?s?$/;
const QUERY_PARAM = /^[A-Za-z_][A-Za-z0-9_:.-]*=[^\s&=]+$/;

/** Not a SMART clinical scope (another kind of scope, or malformed): null. */
export function parseClinicalScope(scope: string): ClinicalScope | null {
  const slash = scope.indexOf('/');
  if (slash < 0) return null;
  const context = scope.slice(0, slash);
  if (!(SMART_CONTEXTS as readonly string[]).includes(context)) return null;
  const rest = scope.slice(slash + 1);
  const questionMark = rest.indexOf('?');
  const head = questionMark < 0 ? rest : rest.slice(0, questionMark);
  const query = questionMark < 0 ? undefined : rest.slice(questionMark + 1);
  const dot = head.lastIndexOf('.');
  if (dot < 0) return null;
  const resource = head.slice(0, dot);
  const written = head.slice(dot + 1);
  if (!RESOURCE.test(resource)) return null;
  const v1 = written in V1_PERMISSIONS;
  const letters = v1 ? V1_PERMISSIONS[written]! : written;
  if (!letters || !V2_PERMISSIONS.test(letters)) return null;
  if (query !== undefined && (v1 || !query.split('&').every((part) => QUERY_PARAM.test(part)))) return null;
  const permissions = new Set(letters.split('') as Permission[]);
  const v2 = `${context}/${resource}.${letters}${query !== undefined ? `?${query}` : ''}`;
  return { context: context as SmartContext, resource, permissions, ...(query !== undefined ? { query } : {}), v2, v1 };
}

export function isLaunchScope(scope: string): boolean {
  return (LAUNCH_SCOPES as readonly string[]).includes(scope);
}

/** A scope SMART defines (clinical or launch): these need a FHIR server (`aud`). */
export function isSmartScope(scope: string): boolean {
  return isLaunchScope(scope) || parseClinicalScope(scope) !== null;
}

/** Does `allowed` (a registered scope) cover `requested`? */
export function covers(allowed: ClinicalScope, requested: ClinicalScope): boolean {
  if (allowed.context !== requested.context) return false;
  if (allowed.resource !== '*' && allowed.resource !== requested.resource) return false;
  for (const permission of requested.permissions) if (!allowed.permissions.has(permission)) return false;
  return allowed.query === undefined || allowed.query === requested.query;
}

export interface ScopeDecision {
  /** The SMART scopes to grant, clinical ones in v2 form. */
  granted: string[];
  /** SMART scopes the client is not registered for (the request is refused). */
  refused: string[];
}

/**
 * Sorts a request's SMART scopes by the client's registration. `contexts` are the clinical
 * contexts this flow may carry (patient and user for a sign-in, system for client credentials).
 * Scopes SMART does not define are left out of both lists.
 */
export function decideScopes(requested: readonly string[], registered: readonly string[], contexts: readonly SmartContext[]): ScopeDecision {
  const allowedClinical = registered.map(parseClinicalScope).filter((scope): scope is ClinicalScope => scope !== null);
  const allowedLaunch = new Set(registered.filter(isLaunchScope));
  const granted: string[] = [];
  const refused: string[] = [];
  for (const scope of requested) {
    if (isLaunchScope(scope)) {
      (allowedLaunch.has(scope) && contexts.includes('user') ? granted : refused).push(scope);
      continue;
    }
    const clinical = parseClinicalScope(scope);
    if (!clinical) continue;
    const ok = contexts.includes(clinical.context) && allowedClinical.some((allowed) => covers(allowed, clinical));
    if (ok) granted.push(clinical.v2);
    else refused.push(scope);
  }
  return { granted: [...new Set(granted)], refused };
}

/** Checks scopes an operator registers for a client; returns the problem or undefined. */
export function registeredScopeProblem(scope: string): string | undefined {
  if (isLaunchScope(scope)) return undefined;
  if (parseClinicalScope(scope)) return undefined;
  return `"${scope}" is not a SMART scope (context/Resource.cruds, e.g. patient/Observation.rs, or launch, launch/patient, launch/encounter, online_access)`;
}
