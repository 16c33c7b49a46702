// Ends a user's sign-ins: the provider sessions (browser SSO) with their activity records (so the
// tokens bound to them stop: token-binding.ts), every grant with its refresh and access tokens, and
// each EHR module that holds a session learns it by back-channel logout. `endUserSessions` serves
// password reset and change, "sign out everywhere", an admin ending a user's sessions, deactivation;
// `endBrowserSession` ends one browser's sign-in (a module's sign-out, "Use another account").
//
// `keep` spares one browser session (the one making a password change) together with the grants
// it holds, so the person making the change is not signed out of the modules open in front of them.
// Callers record the audit event: they know who acted and why.
//
// Without a provider (the operator CLI runs none, so it has no keys to sign logout tokens with)
// the records still go, so every session and token ends at once; modules are not told, and learn
// it when their refresh token is refused or their user next comes back for a sign-in.
import type Provider from 'oidc-provider';
import type { Models } from '../store/models/index.js';

export interface EndSessionsOptions {
  /** The uid of a provider session to keep (with its grants). */
  keepSessionUid?: string;
  /** Where back-channel failures are reported (the module is unreachable; the session ends anyway). */
  onLogoutFailure?: (clientId: string, error: Error) => void;
}

export interface EndedSessions {
  sessions: number;
  grants: number;
  /** Back-channel logouts that the module acknowledged. */
  modulesNotified: number;
}

/** A provider session as oidc-provider's Session (or an interaction's copy of it) describes it. */
export interface BrowserSession {
  uid: string;
  accountId: string;
  /** Per module: the `sid` it was given and its grant. Read from the store when absent. */
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
}

interface SessionPayload {
  uid?: string;
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
}

export async function endUserSessions(
  provider: Provider | null, models: Models, accountId: string, options: EndSessionsOptions = {},
): Promise<EndedSessions> {
  const records = models.OidcRecord.collection;
  const sessions = await records.find({ kind: 'Session', accountId }).toArray();
  const kept = new Set<string>();
  const ending: Array<{ id: unknown; payload: SessionPayload }> = [];
  for (const record of sessions) {
    const payload = JSON.parse(String(record.payload)) as SessionPayload;
    if (options.keepSessionUid && payload.uid === options.keepSessionUid) {
      for (const { grantId } of Object.values(payload.authorizations ?? {})) if (grantId) kept.add(grantId);
    } else {
      ending.push({ id: record._id, payload });
    }
  }

  const grants = await records.find({ kind: 'Grant', accountId }, { projection: { _id: 1 } }).toArray();
  const revoked = grants.map((grant) => String(grant._id).slice('Grant:'.length)).filter((grantId) => !kept.has(grantId));
  return endRecords(provider, models, accountId, ending, revoked, options);
}

/**
 * Ends one browser session (a sign-out, or "Use another account" on the code page): every grant it
 * holds with their refresh and access tokens (offline ones too), the session itself, and each
 * module it served learns it by back-channel logout (pass no provider when it was already told).
 */
export async function endBrowserSession(
  provider: Provider | null, models: Models, session: BrowserSession, options: EndSessionsOptions = {},
): Promise<EndedSessions> {
  const records = await models.OidcRecord.collection.find({ kind: 'Session', uid: session.uid }).toArray();
  const stored = records.map((record) => ({ id: record._id as unknown, payload: JSON.parse(String(record.payload)) as SessionPayload }));
  // The caller's copy of the session wins: the provider may be about to delete (or has deleted) the record.
  const ending = session.authorizations
    ? [{ id: stored[0]?.id, payload: { uid: session.uid, authorizations: session.authorizations } }]
    : stored;
  const grants = ending.flatMap(({ payload }) => Object.values(payload.authorizations ?? {}).map(({ grantId }) => grantId).filter((id): id is string => Boolean(id)));
  return endRecords(provider, models, session.accountId, ending, grants, options);
}

/**
 * Ends what entered one practice (src/accounts/memberships.ts `entriesThrough`): those browser
 * sessions with their back-channel logouts, and those grants with their tokens. The person's
 * sign-ins that entered only other practices stay.
 */
export async function endPracticeEntries(
  provider: Provider | null, models: Models, accountId: string, entries: { sessionUids: string[]; grantIds: string[] }, options: EndSessionsOptions = {},
): Promise<EndedSessions> {
  const sessions = entries.sessionUids.length
    ? await models.OidcRecord.collection.find({ kind: 'Session', accountId, uid: { $in: entries.sessionUids } }).toArray()
    : [];
  const ending = sessions.map((record) => ({ id: record._id as unknown, payload: JSON.parse(String(record.payload)) as SessionPayload }));
  // The grants those sessions hold go too (a module of another practice in the same browser session is signed out with it).
  const held = ending.flatMap(({ payload }) => Object.values(payload.authorizations ?? {}).map(({ grantId }) => grantId).filter((id): id is string => Boolean(id)));
  return endRecords(provider, models, accountId, ending, [...new Set([...entries.grantIds, ...held])], options);
}

async function endRecords(
  provider: Provider | null, models: Models, accountId: string,
  ending: Array<{ id: unknown; payload: SessionPayload }>, revoked: string[], options: EndSessionsOptions,
): Promise<EndedSessions> {
  const records = models.OidcRecord.collection;
  // The records go first: a module told to log out must not be able to refresh its way back in.
  if (revoked.length > 0) {
    await records.deleteMany({ grantId: { $in: revoked } });
    await records.deleteMany({ _id: { $in: revoked.map((grantId) => `Grant:${grantId}`) } } as never);
  }
  if (ending.length > 0) {
    const ids = ending.map((session) => session.id).filter((id) => id !== undefined);
    if (ids.length > 0) await records.deleteMany({ _id: { $in: ids } } as never);
    // The sign-in is over: tokens bound to it (token-binding.ts) stop at once.
    const uids = ending.map(({ payload }) => payload.uid).filter((uid): uid is string => Boolean(uid));
    await models.SessionActivity.deleteMany({ _id: { $in: uids } });
  }

  const notices = ending.flatMap(({ payload }) => Object.entries(payload.authorizations ?? {}).map(([clientId, { sid }]) => ({ clientId, sid })));
  const results = provider ? await Promise.all(notices.map(({ clientId, sid }) => notifyModule(provider, clientId, accountId, sid, options))) : [];
  return { sessions: ending.filter((session) => session.id !== undefined).length, grants: revoked.length, modulesNotified: results.filter(Boolean).length };
}

async function notifyModule(provider: Provider, clientId: string, accountId: string, sid: string | undefined, options: EndSessionsOptions): Promise<boolean> {
  // The typings omit the method end_session itself uses.
  const client = (await provider.Client.find(clientId).catch(() => undefined)) as
    | { backchannelLogoutUri?: string; backchannelLogout(sub: string, sid: string): Promise<void> }
    | undefined;
  if (!client?.backchannelLogoutUri || !sid) return false;
  try {
    await client.backchannelLogout(accountId, sid);
    return true;
  } catch (error) {
    options.onLogoutFailure?.(clientId, error as Error);
    return false;
  }
}
