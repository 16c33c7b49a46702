// Invitations to join a practice (src/store/models/practice-invitation.ts): issue one (replacing
// any earlier one for the same person and practice, so a resent link makes the old one useless),
// find one by its link for the identity signed in, take it (single use: a compare-and-delete), and
// withdraw it. Tokens are 32 CSPRNG bytes; only their SHA-256 is stored and looked up, so a
// lookup compares digests, not the secret. Expiry is checked here, never left to the TTL index.
import { hashLinkToken, isLinkToken, newLinkToken } from '../security/link-token.js';
import type { Types } from 'mongoose';
import type { Models } from '../store/models/index.js';
import type { PracticeInvitation } from '../store/models/practice-invitation.js';
import type { UserRole } from '../store/models/user.js';

// The same 72 hours as a new account's set-password link: the admin sees one expiry, whichever was sent.
export const PRACTICE_INVITATION_TTL_MS = 72 * 60 * 60_000;

export interface InvitationView {
  name: string;
  email: string;
  role: UserRole;
}

export interface IssuedInvitation {
  /** The link's secret: mailed once, never stored or logged. */
  token: string;
  expiresAt: Date;
}

export type Invitations = ReturnType<typeof createInvitations>;

export function createInvitations({ models, now }: { models: Pick<Models, 'PracticeInvitation'>; now: () => number }) {
  const { PracticeInvitation } = models;
  const live = () => ({ expiresAt: { $gt: new Date(now()) } });

  return {
    /** A new link for `userId` to join `practiceId`; an earlier one for the same pair stops working. */
    async issue(practiceId: Types.ObjectId, userId: Types.ObjectId, view: InvitationView, invitedBy: string): Promise<IssuedInvitation> {
      const { token, hash } = newLinkToken();
      const createdAt = new Date(now());
      const expiresAt = new Date(createdAt.getTime() + PRACTICE_INVITATION_TTL_MS);
      await PracticeInvitation.findOneAndUpdate(
        { practiceId, userId },
        { $set: { tokenHash: hash, name: view.name, email: view.email, role: view.role, invitedBy, createdAt, expiresAt } },
        { upsert: true },
      );
      return { token, expiresAt };
    },

    /** The usable invitation behind a link, for this identity only (anyone else: none). */
    async find(token: string, userId: Types.ObjectId): Promise<PracticeInvitation | null> {
      if (!isLinkToken(token)) return null;
      return PracticeInvitation.findOne({ tokenHash: hashLinkToken(token), userId, ...live() }).lean<PracticeInvitation>();
    },

    /** Uses the link up: the first of two concurrent takers wins, the other gets null. */
    async take(token: string, userId: Types.ObjectId): Promise<PracticeInvitation | null> {
      if (!isLinkToken(token)) return null;
      return PracticeInvitation.findOneAndDelete({ tokenHash: hashLinkToken(token), userId, ...live() }).lean<PracticeInvitation>();
    },

    /** The invitation of one person to one practice, live or expired (what the admin sees). */
    of: (practiceId: Types.ObjectId, userId: Types.ObjectId) => PracticeInvitation.findOne({ practiceId, userId }).lean<PracticeInvitation>(),

    /** The practice's invitations by invited identity, for its list of people. */
    async ofPractice(practiceId: Types.ObjectId, ids: Types.ObjectId[]): Promise<Map<string, PracticeInvitation>> {
      const rows = await PracticeInvitation.find({ practiceId, userId: { $in: ids } }).lean<PracticeInvitation[]>();
      return new Map(rows.map((row) => [String(row.userId), row]));
    },

    /** Invitations waiting for this identity, live ones only (its /account page). */
    pendingFor: (userId: Types.ObjectId) => PracticeInvitation.find({ userId, ...live() }).sort({ createdAt: 1 }).lean<PracticeInvitation[]>(),

    /** Withdraws it (cancelled, declined, or the membership became active some other way). */
    async withdraw(practiceId: Types.ObjectId, userId: Types.ObjectId): Promise<boolean> {
      const { deletedCount } = await PracticeInvitation.deleteOne({ practiceId, userId });
      return deletedCount > 0;
    },
  };
}
