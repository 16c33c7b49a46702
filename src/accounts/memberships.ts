// Memberships: a person's place in each practice (src/store/models/membership.ts). The reads and
// writes every surface needs, and `Member`, the identity joined with ONE membership, which is what
// code that means "a user of a practice" takes (practiceId, role, active, mfaEnabled as before).
//
// Writes return what changed, for the caller's audit entry; none of them records audit or ends
// sessions itself (commands do: src/commands/). Ending the access a deactivated membership gave:
// `entriesThrough` names the browser sessions and grants that entered through the practice.
import { Document, Types } from 'mongoose';
import { appError } from '../errors.js';
import type { Identity, Membership, MembershipFields, MembershipStatus, Member, Models } from '../store/models/index.js';
import { USER_ROLES, type UserRole } from '../store/models/user.js';
import { changesBetween, type Changes } from './changes.js';
import { t } from '../i18n/request.js';
import { isDuplicateKey } from '../store/duplicate-key.js';

type Id = Types.ObjectId | string;

export interface AddMembershipInput {
  userId: Id;
  practiceId: Id;
  role: UserRole;
  /** `invited`: the person accepts before it grants anything; default `active`. */
  status?: MembershipStatus;
  mfaEnabled?: boolean;
}

/**
 * The identity joined with one membership. A plain object is copied (a read shared within a request
 * may be joined to another practice by another step); a mongoose document gets the fields as plain
 * properties (not schema paths: `save()` never writes them, so change a membership through this
 * module, never by assigning `member.role`).
 */
export function joinMember<T extends Identity>(user: T, membership: Membership): T & MembershipFields {
  const fields: MembershipFields = {
    practiceId: membership.practiceId,
    role: membership.role,
    active: membership.status === 'active',
    mfaEnabled: membership.mfaEnabled,
    membershipId: membership._id,
    membershipStatus: membership.status,
  };
  return user instanceof Document ? Object.assign(user, fields) : { ...user, ...fields };
}

export type Memberships = ReturnType<typeof createMemberships>;

export function createMemberships({ models }: { models: Models }) {
  const { Membership, User } = models;
  const oid = (id: Id) => (typeof id === 'string' ? new Types.ObjectId(id) : id);
  const validIds = (...ids: Id[]) => ids.every((id) => Types.ObjectId.isValid(id));

  async function requireMembership(userId: Id, practiceId: Id) {
    const membership = validIds(userId, practiceId) ? await Membership.findOne({ userId, practiceId }) : null;
    if (!membership) throw appError('not_found', { detail: 'no such membership in this practice' });
    return membership;
  }

  async function setStatus(userId: Id, practiceId: Id, status: MembershipStatus): Promise<Changes> {
    const membership = await requireMembership(userId, practiceId);
    const changes = changesBetween({ status: membership.status }, { status });
    membership.status = status;
    await membership.save();
    return changes;
  }

  return {
    /** Every membership of the identity (any status), oldest first. */
    listMemberships: (userId: Id) => Membership.find({ userId: oid(userId) }).sort({ createdAt: 1, _id: 1 }).lean(),

    /** The memberships that let the person in (status `active`), oldest first. */
    activeMemberships: (userId: Id) => Membership.find({ userId: oid(userId), status: 'active' }).sort({ createdAt: 1, _id: 1 }).lean(),

    /** The membership of the identity in one practice, any status, or null. */
    findMembership: (userId: Id, practiceId: Id) =>
      (validIds(userId, practiceId) ? Membership.findOne({ userId, practiceId }).lean() : Promise.resolve(null)),

    /** The person as a member of this practice (any status: `active` says whether it counts), or null. */
    async memberOf(user: Identity, practiceId: Id): Promise<Member | null> {
      if (!validIds(practiceId)) return null;
      const membership = await Membership.findOne({ userId: user._id, practiceId }).lean();
      return membership ? joinMember(user, membership) : null;
    },

    /** By sub: the identity as a member of this practice, or null (no identity or no membership). */
    async memberBySub(sub: string, practiceId: Id): Promise<Member | null> {
      const user = await User.findOne({ sub }).lean();
      if (!user || !validIds(practiceId)) return null;
      const membership = await Membership.findOne({ userId: user._id, practiceId }).lean();
      return membership ? joinMember(user, membership) : null;
    },

    /**
     * Adds the identity to a practice. Adding one that exists changes nothing and returns it as it
     * is (with `created: false`): the caller decides what to show, and can show the same either way.
     */
    async addMembership(input: AddMembershipInput): Promise<{ membership: Membership; created: boolean }> {
      if (!USER_ROLES.includes(input.role)) throw appError('invalid_input', { message: `role must be one of ${USER_ROLES.join(', ')}`, field: 'role' });
      if (!validIds(input.userId, input.practiceId)) throw appError('not_found', { detail: 'no such user or practice' });
      const filter = { userId: oid(input.userId), practiceId: oid(input.practiceId) };
      const existing = await Membership.findOne(filter).lean();
      if (existing) return { membership: existing, created: false };
      try {
        const created = await Membership.create({ ...filter, role: input.role, status: input.status ?? 'active', mfaEnabled: input.mfaEnabled ?? false });
        return { membership: created.toObject(), created: true };
      } catch (err) {
        // Two adds at once: the unique (userId, practiceId) index lets one through; the other reads it.
        if (!isDuplicateKey(err)) throw err;
        return { membership: (await Membership.findOne(filter).lean())!, created: false };
      }
    },

    /** `invited` or `deactivated` → `active` (an invitation accepted, or an admin's reactivation). */
    activateMembership: (userId: Id, practiceId: Id) => setStatus(userId, practiceId, 'active'),

    /** → `deactivated`: no access to this practice; end `entriesThrough` it afterwards. */
    deactivateMembership: (userId: Id, practiceId: Id) => setStatus(userId, practiceId, 'deactivated'),

    /** Leaves the practice (the person's choice, or a declined invitation): the membership is gone. */
    async removeMembership(userId: Id, practiceId: Id): Promise<boolean> {
      if (!validIds(userId, practiceId)) return false;
      const { deletedCount } = await Membership.deleteOne({ userId, practiceId });
      await User.updateOne({ _id: userId, defaultPracticeId: practiceId }, { $unset: { defaultPracticeId: 1 } });
      return deletedCount > 0;
    },

    async setMembershipRole(userId: Id, practiceId: Id, role: UserRole): Promise<Changes> {
      if (!USER_ROLES.includes(role)) throw appError('invalid_input', { message: t('members:choose_role'), field: 'role' });
      const membership = await requireMembership(userId, practiceId);
      const changes = changesBetween({ role: membership.role }, { role });
      membership.role = role;
      await membership.save();
      return changes;
    },

    async setMembershipMfa(userId: Id, practiceId: Id, mfaEnabled: boolean): Promise<Changes> {
      const membership = await requireMembership(userId, practiceId);
      const changes = changesBetween({ mfaEnabled: membership.mfaEnabled }, { mfaEnabled });
      membership.mfaEnabled = mfaEnabled;
      await membership.save();
      return changes;
    },

    /** The practice a sign-in enters when the person has several and the app names none. */
    async setDefaultPractice(userId: Id, practiceId: Id | null): Promise<void> {
      if (practiceId === null) {
        await User.updateOne({ _id: userId }, { $unset: { defaultPracticeId: 1 } });
        return;
      }
      const membership = await requireMembership(userId, practiceId);
      if (membership.status !== 'active') throw appError('not_found', { detail: 'no active membership in this practice' });
      await User.updateOne({ _id: userId }, { $set: { defaultPracticeId: membership.practiceId } });
    },

    /**
     * A `users` filter narrowed to the identities with a membership in the practice (of these
     * statuses; any when omitted): how admin pages and the CLI keep to one practice.
     */
    async inPractice<F extends Record<string, unknown>>(practiceId: Id, filter: F = {} as F, statuses?: readonly MembershipStatus[]): Promise<F & { $and: unknown[] }> {
      const ids = validIds(practiceId)
        ? (await Membership.find({ practiceId: oid(practiceId), ...(statuses ? { status: { $in: statuses } } : {}) }, { userId: 1 }).lean()).map((m) => m.userId)
        : [];
      return { ...filter, $and: [...((filter.$and as unknown[] | undefined) ?? []), { _id: { $in: ids } }] };
    },

    /**
     * The identities matching `filter` that have a membership in the practice, each joined with it
     * (lean). What an admin page or CLI listing of one practice reads.
     */
    async findMembers(practiceId: Id, filter: Record<string, unknown> = {}, options: { sort?: Record<string, 1 | -1>; skip?: number; limit?: number; statuses?: readonly MembershipStatus[] } = {}): Promise<Member[]> {
      if (!validIds(practiceId)) return [];
      const rows = await Membership.find({ practiceId: oid(practiceId), ...(options.statuses ? { status: { $in: options.statuses } } : {}) }).lean();
      const byUser = new Map(rows.map((m) => [String(m.userId), m]));
      const where = { ...filter, $and: [...((filter.$and as unknown[] | undefined) ?? []), { _id: { $in: rows.map((m) => m.userId) } }] } as Record<string, unknown>;
      const users = await User.find(where).sort(options.sort ?? { _id: 1 }).skip(options.skip ?? 0).limit(options.limit ?? 0).lean<Identity[]>();
      return users.map((user) => joinMember(user, byUser.get(String(user._id))!));
    },

    /** The user ids of a practice's members (any status): the admin pages list these identities. */
    practiceMemberIds: async (practiceId: Id, status?: MembershipStatus): Promise<Types.ObjectId[]> =>
      (await Membership.find({ practiceId: oid(practiceId), ...(status ? { status } : {}) }, { userId: 1 }).lean()).map((m) => m.userId),

    /**
     * The browser sessions and grants that entered this practice for this person (src/oidc/
     * practice-grant.ts records each): what deactivating the membership must end, and only that.
     */
    async entriesThrough(sub: string, practiceId: Id): Promise<{ sessionUids: string[]; grantIds: string[] }> {
      if (!validIds(practiceId)) return { sessionUids: [], grantIds: [] };
      const entries = await models.PracticeEntry.find({ accountId: sub, practiceId: oid(practiceId) }, { sessionUid: 1 }).lean();
      return {
        sessionUids: [...new Set(entries.flatMap((entry) => (entry.sessionUid ? [entry.sessionUid] : [])))],
        grantIds: entries.map((entry) => entry._id),
      };
    },
  };
}

/**
 * The identity joined with its "home" membership (the first active one, else the first of any
 * status), or null when it has none: for identity-wide flows that have no practice of their own
 * (password reset, operator commands by email) and need one for the audit entry and the notices.
 * `active` is false when no membership is active, so such flows refuse as they did for an inactive user.
 */
export async function withHomePractice<T extends Identity>(models: Pick<Models, 'Membership'>, user: T): Promise<(T & MembershipFields) | null> {
  const membership = await models.Membership.findOne({ userId: user._id, status: 'active' }).sort({ createdAt: 1, _id: 1 }).lean()
    ?? await models.Membership.findOne({ userId: user._id }).sort({ createdAt: 1, _id: 1 }).lean();
  return membership ? joinMember(user, membership) : null;
}
