// One command for what a code exchange reads: the authorization code, and with it (`$lookup`) its
// grant, the session it came from (by uid), that session's activity record and practice, the user
// and the SMART launch bound to the code. oidc-provider and our checks then ask for each of them
// in turn; request-reads.ts answers from this read, so a code exchange costs one read instead of
// seven. Nothing is decided here: every check (grant and session still there, expiry by our own
// clock, the user active, the sign-in not timed out) still runs on these documents where it did.
//
// A key the code does not hold (a code saved before `sessionUid` was lifted onto its record) is
// looked up as '' and finds nothing; the caller then reads that record the ordinary way.
import type { Collection, Document } from 'mongodb';
import type { OidcRecord, Practice, User } from '../store/models/index.js';
import type { SessionActivity } from '../store/models/session-activity.js';
import type { SmartLaunch } from '../store/models/smart-launch.js';

export interface CodeReadAhead {
  codeId: string;
  code: OidcRecord | null;
  grant?: { key: string; record: OidcRecord | null };
  session?: { uid: string; record: OidcRecord | null };
  activity?: { sessionUid: string; record: SessionActivity | null };
  practice?: Practice;
  user?: { sub: string; record: User | null };
  launch: SmartLaunch | null;
}

/** The collections the lookups join (the models' names, so MongoDB and the embedded store agree). */
export interface ReadAheadCollections {
  users: string;
  practices: string;
  activities: string;
  launches: string;
}

type Joined = OidcRecord & {
  _keys: { grant: string; session: string; account: string };
  _grant: OidcRecord[];
  _session: OidcRecord[];
  _activity: SessionActivity[];
  _practice: Practice[];
  _user: User[];
  _launch: SmartLaunch[];
};

export async function codeReadAhead(records: Collection<OidcRecord>, names: ReadAheadCollections, key: string): Promise<CodeReadAhead> {
  const codeId = key.slice(key.indexOf(':') + 1);
  const pipeline: Document[] = [
    { $match: { _id: key } },
    { $set: { _keys: {
      grant: { $concat: ['Grant:', { $ifNull: ['$grantId', ''] }] },
      session: { $ifNull: ['$sessionUid', ''] },
      account: { $ifNull: ['$accountId', ''] },
    } } },
    { $lookup: { from: records.collectionName, localField: '_keys.grant', foreignField: '_id', as: '_grant' } },
    { $lookup: { from: records.collectionName, localField: '_keys.session', foreignField: 'uid', pipeline: [{ $match: { kind: 'Session' } }], as: '_session' } },
    { $lookup: { from: names.activities, localField: '_keys.session', foreignField: '_id', as: '_activity' } },
    { $lookup: { from: names.practices, localField: '_activity.practiceId', foreignField: '_id', as: '_practice' } },
    { $lookup: { from: names.users, localField: '_keys.account', foreignField: 'sub', as: '_user' } },
    { $lookup: { from: names.launches, pipeline: [{ $match: { codeId } }], as: '_launch' } },
  ];
  const [joined] = (await records.aggregate(pipeline).toArray()) as Joined[];
  if (!joined) return { codeId, code: null, launch: null };
  const { _keys: keys, _grant, _session, _activity, _practice, _user, _launch, ...code } = joined;
  const activity = _activity[0] ?? null;
  const practice = _practice.find((found) => activity && found._id.equals(activity.practiceId));
  return {
    codeId,
    code: code as OidcRecord,
    ...(code.grantId ? { grant: { key: keys.grant, record: _grant[0] ?? null } } : {}),
    ...(keys.session ? { session: { uid: keys.session, record: _session[0] ?? null } } : {}),
    ...(keys.session ? { activity: { sessionUid: keys.session, record: activity } } : {}),
    ...(practice ? { practice } : {}),
    ...(keys.account ? { user: { sub: keys.account, record: _user[0] ?? null } } : {}),
    launch: _launch[0] ?? null,
  };
}
