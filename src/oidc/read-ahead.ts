// One command for what a request reads after an authorization code or an interaction: the record,
// and with it (`$lookup`) its client, its grant, the session it came from (by uid), that session's
// activity record and practice, the practice its grant entered (and that practice), the user with
// their active memberships, the SMART launch bound to a code, and for an interaction the practice its
// app is registered to. oidc-provider and
// our checks then ask for each of them in turn; request-reads.ts answers from this read, so a code
// exchange costs one read instead of seven, and the resume after the sign-in one instead of three.
// Nothing is decided here: every check (client active, grant and session still there, expiry by
// our own clock, the user active, the sign-in not timed out) still runs on these documents where
// it did.
//
// A key the record does not hold (an interaction before its sign-in, a record saved before the key
// was lifted onto it) is looked up as '' and finds nothing; the caller then reads that record the
// ordinary way.
import type { Collection, Document } from 'mongodb';
import type { Client, Membership, OidcRecord, Practice, PracticeEntry, User } from '../store/models/index.js';
import type { SessionActivity } from '../store/models/session-activity.js';
import type { SmartLaunch } from '../store/models/smart-launch.js';

export interface RelatedReads {
  /** The record's own id (after `<kind>:`). */
  codeId: string;
  record: OidcRecord | null;
  client?: { id: string; record: Client | null };
  grant?: { key: string; record: OidcRecord | null };
  session?: { uid: string; record: OidcRecord | null };
  activity?: { sessionUid: string; record: SessionActivity | null };
  /** The practices of the session's activity, of the grant's entry and (an interaction) of the app. */
  practices: Practice[];
  /** The practice the grant entered (practice-entry.ts), keyed by the grant id. */
  entry?: { grantId: string; record: PracticeEntry | null };
  user?: { sub: string; record: User | null };
  /** The user's active memberships, oldest first (request-reads.ts `activeMemberships`). */
  memberships?: { userId: User['_id']; records: Membership[] };
  launch: SmartLaunch | null;
  /** With an interaction: does any practice allow passwordless sign-in (the sign-in page offers it)? */
  passwordlessOffered?: boolean;
}

/** The collections the lookups join (the models' names, so MongoDB and the embedded store agree). */
export interface ReadAheadCollections {
  clients: string;
  users: string;
  practices: string;
  activities: string;
  launches: string;
  entries: string;
  memberships: string;
}

type Joined = OidcRecord & {
  _keys: { client: string; grant: string; grantId: string; session: string; account: string; userId: User['_id'] | '' };
  _client: Client[];
  _grant: OidcRecord[];
  _session: OidcRecord[];
  _activity: SessionActivity[];
  _practice: Practice[];
  _entry: PracticeEntry[];
  _entryPractice: Practice[];
  _user: User[];
  _memberships: Membership[];
  _launch: SmartLaunch[];
  _passwordless?: unknown[];
  _clientPractice?: Practice[];
};

export async function readWithRelated(records: Collection<OidcRecord>, names: ReadAheadCollections, key: string): Promise<RelatedReads> {
  const codeId = key.slice(key.indexOf(':') + 1);
  const launch = key.startsWith('AuthorizationCode:')
    ? [{ $lookup: { from: names.launches, pipeline: [{ $match: { codeId } }], as: '_launch' } }]
    : [{ $set: { _launch: [] } }];
  // The sign-in page (an interaction) asks whether to offer a passkey alone: any practice allowing it,
  // and heads itself with the practice the app is registered to, if any (its name and logo digest).
  const passwordless = key.startsWith('Interaction:')
    ? [
      { $lookup: { from: names.practices, pipeline: [{ $match: { 'passkeyPolicy.passwordlessAllowed': true } }, { $limit: 1 }, { $project: { _id: 1 } }], as: '_passwordless' } },
      { $set: { '_keys.clientPractice': { $ifNull: [{ $arrayElemAt: ['$_client.practiceId', 0] }, ''] } } },
      { $lookup: { from: names.practices, localField: '_keys.clientPractice', foreignField: '_id', as: '_clientPractice' } },
    ]
    : [];
  const pipeline: Document[] = [
    { $match: { _id: key } },
    { $set: { _keys: {
      client: { $ifNull: ['$clientId', ''] },
      grant: { $concat: ['Grant:', { $ifNull: ['$grantId', ''] }] },
      grantId: { $ifNull: ['$grantId', ''] },
      session: { $ifNull: ['$sessionUid', ''] },
      account: { $ifNull: ['$accountId', { $ifNull: ['$signedInAs', ''] }] },
    } } },
    { $lookup: { from: names.clients, localField: '_keys.client', foreignField: '_id', as: '_client' } },
    { $lookup: { from: records.collectionName, localField: '_keys.grant', foreignField: '_id', as: '_grant' } },
    { $lookup: { from: records.collectionName, localField: '_keys.session', foreignField: 'uid', pipeline: [{ $match: { kind: 'Session' } }], as: '_session' } },
    { $lookup: { from: names.activities, localField: '_keys.session', foreignField: '_id', as: '_activity' } },
    { $lookup: { from: names.practices, localField: '_activity.practiceId', foreignField: '_id', as: '_practice' } },
    { $lookup: { from: names.entries, localField: '_keys.grantId', foreignField: '_id', as: '_entry' } },
    { $set: { '_keys.entryPractice': { $ifNull: [{ $arrayElemAt: ['$_entry.practiceId', 0] }, ''] } } },
    { $lookup: { from: names.practices, localField: '_keys.entryPractice', foreignField: '_id', as: '_entryPractice' } },
    { $lookup: { from: names.users, localField: '_keys.account', foreignField: 'sub', as: '_user' } },
    { $set: { '_keys.userId': { $ifNull: [{ $arrayElemAt: ['$_user._id', 0] }, ''] } } },
    { $lookup: { from: names.memberships, localField: '_keys.userId', foreignField: 'userId', pipeline: [{ $match: { status: 'active' } }, { $sort: { createdAt: 1, _id: 1 } }], as: '_memberships' } },
    ...launch,
    ...passwordless,
  ];
  const [joined] = (await records.aggregate(pipeline).toArray()) as Joined[];
  if (!joined) return { codeId, record: null, practices: [], launch: null };
  const { _keys: keys, _client, _grant, _session, _activity, _practice, _entry, _entryPractice, _user, _memberships, _launch, _passwordless, _clientPractice, ...code } = joined;
  const activity = _activity[0] ?? null;
  const entry = _entry[0] ?? null;
  const practices = [
    ..._practice.filter((found) => activity && found._id.equals(activity.practiceId)),
    ..._entryPractice.filter((found) => entry && found._id.equals(entry.practiceId)),
    ...(_clientPractice ?? []).filter((found) => _client[0]?.practiceId && found._id.equals(_client[0].practiceId)),
  ];
  const user = _user[0] ?? null;
  return {
    codeId,
    record: code as OidcRecord,
    ...(keys.client ? { client: { id: keys.client, record: _client[0] ?? null } } : {}),
    ...(code.grantId ? { grant: { key: keys.grant, record: _grant[0] ?? null } } : {}),
    ...(keys.session ? { session: { uid: keys.session, record: _session[0] ?? null } } : {}),
    ...(keys.session ? { activity: { sessionUid: keys.session, record: activity } } : {}),
    practices,
    ...(code.grantId ? { entry: { grantId: keys.grantId, record: entry } } : {}),
    ...(keys.account ? { user: { sub: keys.account, record: user } } : {}),
    ...(user ? { memberships: { userId: user._id, records: _memberships } } : {}),
    launch: _launch[0] ?? null,
    ...(_passwordless ? { passwordlessOffered: _passwordless.length > 0 } : {}),
  };
}
