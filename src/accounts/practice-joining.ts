// The store side of joining a practice by invitation (src/commands/invite-member.ts and the
// person's /account pages): find or create the identity an email names, add the 'invited'
// membership, issue the link (a join link for an identity that can sign in, a set-password link
// bound to the practice for one that cannot yet), accept, decline, cancel.
// An invited membership grants nothing (src/store/models/membership.ts); accepting it is a
// compare-and-set from 'invited' to 'active' after the single-use link was taken.
import type { Types } from 'mongoose';
import { newLinkToken } from '../security/link-token.js';
import { appError } from '../errors.js';
import type { Models } from '../store/models/index.js';
import type { PracticeInvitation } from '../store/models/practice-invitation.js';
import type { UserRole } from '../store/models/user.js';
import { createInvitations, PRACTICE_INVITATION_TTL_MS } from './invitations.js';
import { newSubject } from './service.js';
import { isDuplicateKey } from '../store/duplicate-key.js';

export interface JoiningIdentity {
  _id: Types.ObjectId;
  sub: string;
  hasPassword: boolean;
}

export interface TypedInvitation {
  name: string;
  email: string;
  role: UserRole;
}

export type PracticeJoining = ReturnType<typeof createPracticeJoining>;

const view = (user: { _id: Types.ObjectId; sub: string; passwordHash?: string | undefined }): JoiningIdentity => ({ _id: user._id, sub: user.sub, hasPassword: Boolean(user.passwordHash) });

export function createPracticeJoining({ models, now, issuer }: { models: Models; now: () => number; issuer: string }) {
  const { User, Membership, PasswordToken } = models;
  const invitations = createInvitations({ models, now });

  /** Set-password links of an identity for this practice (an invitation's, never a reset's). */
  const passwordLinks = (userSub: string, practiceId: Types.ObjectId) => ({ userSub, purpose: 'invitation' as const, practiceId });

  return {
    invitations,

    async identityFor(typed: TypedInvitation, inviting: Types.ObjectId): Promise<JoiningIdentity> {
      const found = await User.findOne({ email: typed.email }, { sub: 1, passwordHash: 1 }).lean();
      if (found) return view(found);
      try {
        // Until the identity model drops them, a user document still carries a home practice and role.
        const legacy: Record<string, unknown> = { practiceId: inviting, role: typed.role };
        const created = await User.create({ sub: newSubject(), email: typed.email, name: typed.name, emailVerified: false, ...legacy });
        return view(created);
      } catch (err) {
        // Two invitations of one new address at once: the unique email index lets one through.
        if (!isDuplicateKey(err)) throw err;
        return view((await User.findOne({ email: typed.email }, { sub: 1, passwordHash: 1 }).lean())!);
      }
    },

    async invitedMember(practiceId: Types.ObjectId, userId: Types.ObjectId): Promise<{ identity: JoiningIdentity; status: string } | null> {
      const membership = await Membership.findOne({ practiceId, userId }).lean();
      const user = membership ? await User.findById(userId, { sub: 1, passwordHash: 1 }).lean() : null;
      return membership && user ? { identity: view(user), status: membership.status } : null;
    },

    async addInvited(practiceId: Types.ObjectId, identity: JoiningIdentity, role: UserRole): Promise<void> {
      try {
        await Membership.create({ userId: identity._id, practiceId, role, status: 'invited', mfaEnabled: false });
      } catch (err) {
        // Already a member (or invited) here: the admin can see that in their own list anyway.
        if (isDuplicateKey(err)) throw appError('email_taken', { detail: 'already a member of this practice', field: 'email' });
        throw err;
      }
    },

    async removeInvited(practiceId: Types.ObjectId, identity: JoiningIdentity): Promise<boolean> {
      const { deletedCount } = await Membership.deleteOne({ practiceId, userId: identity._id, status: 'invited' });
      await invitations.withdraw(practiceId, identity._id);
      await PasswordToken.deleteMany(passwordLinks(identity.sub, practiceId));
      return deletedCount > 0;
    },

    /** A new link, the earlier one of this practice withdrawn; `typed` null keeps what was typed before. */
    async issue(practiceId: Types.ObjectId, identity: JoiningIdentity, typed: TypedInvitation | null, invitedBy: string) {
      const kept = typed ?? (await invitations.of(practiceId, identity._id)) ?? await fallbackView(practiceId, identity);
      const shown: TypedInvitation = { name: kept.name, email: kept.email, role: kept.role };
      const issued = await invitations.issue(practiceId, identity._id, shown, invitedBy);
      await PasswordToken.deleteMany(passwordLinks(identity.sub, practiceId));
      if (identity.hasPassword) return { ...issued, typed: shown, link: new URL(`/account/invitations/${issued.token}`, issuer).href, kind: 'join' as const };
      // No password yet: the person chooses one first; that link activates this membership.
      const { token, hash } = newLinkToken();
      await PasswordToken.create({ _id: hash, ...passwordLinks(identity.sub, practiceId), createdAt: new Date(now()), expiresAt: issued.expiresAt });
      return { ...issued, typed: shown, link: new URL(`/password-reset/invitation/${token}`, issuer).href, kind: 'set_password' as const };
    },

    /** Accepts with the emailed link: taken once, by the identity it was sent to, then 'invited' → 'active'. */
    async accept(token: string, userId: Types.ObjectId): Promise<PracticeInvitation | null> {
      const taken = await invitations.take(token, userId);
      if (!taken) return null;
      return (await activateInvited(taken.practiceId, userId)) ? taken : null;
    },

    /** Accepts from the /account list: the signed-in identity's own pending invitation of that practice. */
    async acceptPending(practiceId: Types.ObjectId, userId: Types.ObjectId): Promise<PracticeInvitation | null> {
      const pending = await invitations.of(practiceId, userId);
      if (!pending || pending.expiresAt.getTime() <= now()) return null;
      await invitations.withdraw(practiceId, userId);
      return (await activateInvited(practiceId, userId)) ? pending : null;
    },

    /** Declines: the invitation and the invited membership are gone (the practice may invite again). */
    async decline(practiceId: Types.ObjectId, userId: Types.ObjectId): Promise<boolean> {
      const withdrawn = await invitations.withdraw(practiceId, userId);
      const { deletedCount } = await Membership.deleteOne({ practiceId, userId, status: 'invited' });
      return withdrawn || deletedCount > 0;
    },

    /** A first password set with a practice's set-password link: that membership becomes active. */
    async passwordLinkUsed(practiceId: Types.ObjectId, userId: Types.ObjectId): Promise<boolean> {
      await invitations.withdraw(practiceId, userId);
      return activateInvited(practiceId, userId);
    },
  };

  async function activateInvited(practiceId: Types.ObjectId, userId: Types.ObjectId): Promise<boolean> {
    const { modifiedCount } = await Membership.updateOne({ practiceId, userId, status: 'invited' }, { $set: { status: 'active' } });
    return modifiedCount > 0;
  }

  async function fallbackView(practiceId: Types.ObjectId, identity: JoiningIdentity): Promise<TypedInvitation> {
    // The record outlived its 30 days: the email it was sent to is the identity's, the role the membership's.
    const [user, membership] = await Promise.all([User.findById(identity._id, { email: 1 }).lean(), Membership.findOne({ practiceId, userId: identity._id }).lean()]);
    return { name: user?.email ?? '', email: user?.email ?? '', role: membership?.role ?? 'staff' };
  }
}

export { PRACTICE_INVITATION_TTL_MS };

/** The practices (hex ids) where the identity `sub` is an active member (src/audit/identity-wide.ts). */
export function activePracticesOf(models: Pick<Models, 'User' | 'Membership'>) {
  return async (sub: string): Promise<string[]> => {
    const user = await models.User.findOne({ sub }, { _id: 1 }).lean();
    if (!user) return [];
    return (await models.Membership.find({ userId: user._id, status: 'active' }, { practiceId: 1 }).lean()).map((m) => m.practiceId.toHexString());
  };
}
