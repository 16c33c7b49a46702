// SMART scopes in plain words for the consent page ("Read and search your patients' Observations"),
// as what to say rather than the words: a locale key and its parts (pure; the page translates them,
// src/i18n/smart-scopes.ts), since the word order differs between languages.
import { parseClinicalScope, PERMISSIONS, type Permission } from './scopes.js';

const VERBS: Record<Permission, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

const CONTEXT_KEYS: Record<string, string> = {
  launch: 'launch',
  'launch/patient': 'launch_patient',
  'launch/encounter': 'launch_encounter',
  online_access: 'online_access',
  fhirUser: 'fhir_user',
};

export type ScopeText =
  | { key: string }
  | {
    key: string;
    /** What may be done, in order: create, read, update, delete, search. */
    verbs: string[];
    /** The FHIR resource type, or '*' for every kind. */
    resource: string;
    /** Its English plural (Observations, ImagingStudies). */
    resourcePlural: string;
    /** The query's conditions (`category=laboratory`), each as written in the scope. */
    conditions: string[];
  };

/** What to say for a SMART scope (key `smart:…`), or undefined for a scope SMART does not define. */
export function describeSmartScope(scope: string): ScopeText | undefined {
  if (scope in CONTEXT_KEYS) return { key: `smart:context.${CONTEXT_KEYS[scope]}` };
  const clinical = parseClinicalScope(scope);
  if (!clinical) return undefined;
  return {
    key: `smart:clinical.${clinical.context}${clinical.resource === '*' ? '_every' : ''}`,
    verbs: PERMISSIONS.filter((permission) => clinical.permissions.has(permission)).map((permission) => VERBS[permission]),
    resource: clinical.resource,
    resourcePlural: plural(clinical.resource),
    conditions: clinical.query ? clinical.query.split('&') : [],
  };
}

function plural(resource: string): string {
  if (/[^aeiou]y$/.test(resource)) return `${resource.slice(0, -1)}ies`;
  return /s$/.test(resource) ? resource : `${resource}s`;
}
