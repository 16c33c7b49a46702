// Start-up migration: users that still carry the one-practice fields (practiceId, role, active,
// mfaEnabled) get one membership each from them, then lose the fields. Idempotent and safe to
// interrupt: the membership is an upsert that only sets fields when it creates the record (a rerun,
// or a membership an admin changed meanwhile, is left as it is), and a user's legacy fields are
// unset only after its membership exists, so a crash between the two is finished by the next start.
// The user's grants (oidc-provider's, one per app) were issued in that one practice: each gets its
// practice entry too (src/oidc/practice-grant.ts), so a token from before the upgrade keeps
// answering for the practice it was issued in and ends when that membership is deactivated; a
// grant without an entry answers for nothing (src/oidc/account.ts).
// Raw driver collections, not mongoose models: the models no longer know the legacy fields.
import type { AnyBulkWriteOperation, Collection, Document, ObjectId } from 'mongodb';
import type { Models } from '../models/index.js';

const LEGACY = { practiceId: '', role: '', active: '', mfaEnabled: '' } as const;
const BATCH = 500;
/** A stored grant without an expiry (none should be) gets the grant lifetime (src/sessions/ttl.ts, 30 days). */
const GRANT_TTL_MS = 30 * 24 * 3_600_000;

interface LegacyUser {
  _id: ObjectId;
  sub: string;
  practiceId: ObjectId;
  role?: string;
  active?: boolean;
  mfaEnabled?: boolean;
  createdAt?: Date;
}

export interface MembershipMigration {
  /** Users seen with legacy fields. */
  users: number;
  /** Memberships this run created (the others existed from an earlier, interrupted run). */
  created: number;
}

export async function migrateToMemberships(models: Pick<Models, 'User' | 'Membership' | 'OidcRecord' | 'PracticeEntry'>, now: () => number = Date.now): Promise<MembershipMigration> {
  const users = models.User.collection as unknown as Collection<Document>;
  const memberships = models.Membership.collection as unknown as Collection<Document>;
  const records = models.OidcRecord.collection as unknown as Collection<Document>;
  const entries = models.PracticeEntry.collection as unknown as Collection<Document>;
  const result: MembershipMigration = { users: 0, created: 0 };
  // Each batch removes its users from the filter, so the loop ends when none is left.
  for (;;) {
    const batch = await users.find({ practiceId: { $exists: true } }, { projection: { sub: 1, practiceId: 1, role: 1, active: 1, mfaEnabled: 1, createdAt: 1 } })
      .limit(BATCH).toArray() as unknown as LegacyUser[];
    if (batch.length === 0) return result;
    const at = new Date(now());
    const upserts: AnyBulkWriteOperation<Document>[] = batch.map((user) => ({
      updateOne: {
        filter: { userId: user._id, practiceId: user.practiceId },
        update: {
          $setOnInsert: {
            role: user.role ?? 'staff',
            status: user.active === false ? 'deactivated' : 'active',
            mfaEnabled: user.mfaEnabled === true,
            createdAt: user.createdAt ?? at,
            updatedAt: at,
          },
        },
        upsert: true,
      },
    }));
    const written = await memberships.bulkWrite(upserts, { ordered: false });
    // Their grants entered their one practice (an entry written once; a rerun finds it there).
    const practiceOf = new Map(batch.map((user) => [user.sub, user.practiceId]));
    const grants = await records.find({ kind: 'Grant', accountId: { $in: [...practiceOf.keys()] } }, { projection: { accountId: 1, payload: 1, expiresAt: 1 } }).toArray();
    if (grants.length > 0) {
      await entries.bulkWrite(grants.map((grant): AnyBulkWriteOperation<Document> => ({
        updateOne: {
          filter: { _id: String(grant._id).replace(/^Grant:/, '') as unknown as ObjectId },
          update: { $setOnInsert: {
            accountId: grant.accountId, practiceId: practiceOf.get(String(grant.accountId)), clientId: clientOf(grant),
            createdAt: at, expiresAt: grant.expiresAt instanceof Date ? grant.expiresAt : new Date(at.getTime() + GRANT_TTL_MS),
          } },
          upsert: true,
        },
      })), { ordered: false });
    }
    result.users += batch.length;
    result.created += written.upsertedCount;
    await users.updateMany({ _id: { $in: batch.map((user) => user._id) } }, { $unset: LEGACY });
  }
}

/** The client of a stored grant (its payload is oidc-provider's JSON). */
function clientOf(grant: Document): string {
  try {
    return String((JSON.parse(String(grant.payload)) as { clientId?: string }).clientId ?? '');
  } catch {
    return '';
  }
}
