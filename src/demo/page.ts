/**
 * Renders the demo module's single page. The claims a reviewer cares about (how and when the user was
 * authenticated, which session, which practice and roles) come first and are highlighted.
 */
import { fileURLToPath } from 'node:url';
import pug from 'pug';
import type { SignedInUser } from './sessions.js';

export interface Peer {
  title: string;
  url: string;
}

export interface PageModel {
  name: string;
  title: string;
  peers: readonly Peer[];
  /** The provider's account settings page. */
  accountUrl?: string;
  user?: SignedInUser;
  csrfToken?: string;
  error?: string;
  /** The made-up patients the charting module can open the demo SMART app for (EHR launch). */
  patients?: readonly { id: string; name: string }[];
}

/** Claims shown first and highlighted, in this order. */
export const KEY_CLAIMS = ['acr', 'amr', 'auth_time', 'sid', 'practice', 'roles'] as const;
/** Claims holding seconds since the epoch, also shown as ISO time. */
const TIME_CLAIMS = new Set(['auth_time', 'iat', 'exp', 'nbf', 'updated_at']);

const template = pug.compileFile(fileURLToPath(new URL('./views/module.pug', import.meta.url)));

export function renderPage(model: PageModel): string {
  const user = model.user && {
    displayName: displayName({ ...model.user.claims, ...model.user.profile }),
    claims: claimRows(model.user.claims),
    profile: claimRows(model.user.profile),
  };
  return template({ ...model, user, error: model.error });
}

export interface ClaimRow {
  name: string;
  value: string;
  key: boolean;
}

export function claimRows(claims: Readonly<Record<string, unknown>>): ClaimRow[] {
  const keyNames: readonly string[] = KEY_CLAIMS;
  const rest = Object.keys(claims).filter((name) => !keyNames.includes(name)).sort();
  return [...KEY_CLAIMS.filter((name) => name in claims), ...rest].map((name) => ({
    name,
    value: formatClaim(name, claims[name]),
    key: keyNames.includes(name),
  }));
}

export function formatClaim(name: string, value: unknown): string {
  if (TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)) {
    return `${value} (${new Date(value * 1000).toISOString()})`;
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function displayName(claims: Readonly<Record<string, unknown>>): string {
  const pick = (key: string) => (typeof claims[key] === 'string' && claims[key] ? (claims[key] as string) : undefined);
  const given = [pick('given_name'), pick('family_name')].filter(Boolean).join(' ');
  return pick('name') ?? (given || undefined) ?? pick('email') ?? pick('sub') ?? 'unknown user';
}
