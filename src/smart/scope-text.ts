// SMART scopes in plain words for the consent page ("Read and search your patients' Observations").
import { parseClinicalScope, PERMISSIONS, type Permission } from './scopes.js';

const VERBS: Record<Permission, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

const CONTEXT_TEXT: Record<string, string> = {
  launch: 'Open with the patient and visit you are working on',
  'launch/patient': 'Know which patient you choose',
  'launch/encounter': 'Know which visit you choose',
  online_access: 'Stay connected while you are using it',
  fhirUser: 'Your own record in the health record (who you are there)',
};

/** The sentence for a SMART scope, or undefined for a scope SMART does not define. */
export function describeSmartScope(scope: string): string | undefined {
  if (scope in CONTEXT_TEXT) return CONTEXT_TEXT[scope];
  const clinical = parseClinicalScope(scope);
  if (!clinical) return undefined;
  const verbs = PERMISSIONS.filter((permission) => clinical.permissions.has(permission)).map((permission) => VERBS[permission]);
  const action = verbs.length === 1 ? verbs[0]! : `${verbs.slice(0, -1).join(', ')} and ${verbs.at(-1)}`;
  const things = clinical.resource === '*' ? 'records of every kind' : plural(clinical.resource);
  const whose = clinical.context === 'patient' ? "the current patient's" : clinical.context === 'user' ? "your patients'" : 'all';
  const only = clinical.query ? ` (only those where ${clinical.query.split('&').join(' and ')})` : '';
  return `${action[0]!.toUpperCase()}${action.slice(1)} ${whose} ${things}${only}`;
}

function plural(resource: string): string {
  if (/[^aeiou]y$/.test(resource)) return `${resource.slice(0, -1)}ies`;
  return /s$/.test(resource) ? resource : `${resource}s`;
}
