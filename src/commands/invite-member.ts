// "Add a user" without an oracle: whoever the email belongs to, the admin (or operator) gets the
// same answer, the same list row and the same audit entries.
// - An email with an identity that has a password: a membership in status 'invited' and an emailed
//   link to join, which that identity accepts while signed in (/account/invitations/<token>).
// - An email with no identity, or one that never set a password: the identity (no password, the
//   name as typed) if new, the 'invited' membership, and an emailed link to set the password, which
//   activates the membership.
// Both do the same store work in the same order (no password hashing on either path), record
// `admin.user.created` with what the admin typed and `admin.user.invitation_sent` with the expiry.
// Resend replaces the link (the old one stops working); cancel removes the invited membership.
import type { Types } from 'mongoose';
import { assertValidEmail } from '../accounts/email.js';
import type { IssuedInvitation } from '../accounts/invitations.js';
import { checkName } from '../accounts/practice-users.js';
import type { AuditLog } from '../audit/record.js';
import { appError, NotFoundError } from '../errors.js';
import { DeliveryError } from '../mfa/channels/channel.js';
import { USER_ROLES, type UserRole } from '../store/models/user.js';
import { assertInScope, type Actor } from './actor.js';
import { change, recordChange } from './audited.js';
import { t } from '../i18n/request.js';

export interface InvitedIdentity {
  _id: Types.ObjectId;
  sub: string;
  /** Whether it can sign in to accept (else it gets a set-password link). */
  hasPassword: boolean;
}

export interface InvitationTyped {
  name: string;
  email: string;
  role: UserRole;
}

export interface InviteMemberDeps {
  audit: AuditLog;
  joining: {
    /** The identity with this email, or a new one without password: the same writes either way. */
    identityFor(typed: InvitationTyped, practiceId: Types.ObjectId): Promise<InvitedIdentity>;
    /** A person's membership of this practice, by identity id (null: none, or only another practice's). */
    invitedMember(practiceId: Types.ObjectId, userId: Types.ObjectId): Promise<{ identity: InvitedIdentity; status: string } | null>;
    /** Adds the 'invited' membership; throws `email_taken` when this practice has one already. */
    addInvited(practiceId: Types.ObjectId, identity: InvitedIdentity, role: UserRole): Promise<void>;
    /** Removes an 'invited' membership, its invitation and set-password links; false if not invited. */
    removeInvited(practiceId: Types.ObjectId, identity: InvitedIdentity): Promise<boolean>;
    /** A new link (join or set-password, by `hasPassword`), replacing the last; the typed view kept for the admin. */
    issue(practiceId: Types.ObjectId, identity: InvitedIdentity, typed: InvitationTyped | null, invitedBy: string): Promise<IssuedInvitation & { typed: InvitationTyped; link: string }>;
  };
  /** Emails the link; throws DeliveryError when it cannot be sent. */
  mailInvitation(practiceId: Types.ObjectId, identity: InvitedIdentity, typed: InvitationTyped, link: string, expiresAt: Date): Promise<void>;
}

export interface InviteResult {
  userId: Types.ObjectId;
  /** False when the email could not be sent (the invitation stands: resend it). */
  mailed: boolean;
}

export function checkInvitation(input: { name: string; email: string; role: string }): InvitationTyped {
  const name = checkName(input.name);
  const email = assertValidEmail(input.email);
  if (!USER_ROLES.includes(input.role as UserRole)) throw appError('invalid_input', { message: t('members:choose_role'), field: 'role' });
  return { name, email, role: input.role as UserRole };
}

export async function inviteMember(deps: InviteMemberDeps, actor: Actor, practiceId: Types.ObjectId, input: InvitationTyped): Promise<InviteResult> {
  assertInScope(actor, practiceId);
  const typed = checkInvitation(input);
  const identity = await change(deps.audit, actor, { practiceId }, 'admin.user.created', async () => {
    const found = await deps.joining.identityFor(typed, practiceId);
    await deps.joining.addInvited(practiceId, found, typed.role);
    return found;
  });
  const about = { practiceId, userSub: identity.sub };
  await recordChange(deps.audit, actor, about, 'admin.user.created', { before: null, after: { ...typed, status: 'invited' } });
  return { userId: identity._id, mailed: await send(deps, actor, practiceId, identity, typed, false) };
}

/** A new link for an invited member (the old one stops working); NotFound when not invited here. */
export async function resendInvitation(deps: InviteMemberDeps, actor: Actor, practiceId: Types.ObjectId, userId: Types.ObjectId): Promise<{ mailed: boolean }> {
  assertInScope(actor, practiceId);
  const member = await deps.joining.invitedMember(practiceId, userId);
  if (member?.status !== 'invited') throw new NotFoundError('no invitation to resend');
  return { mailed: await send(deps, actor, practiceId, member.identity, null, true) };
}

export async function cancelInvitation(deps: InviteMemberDeps, actor: Actor, practiceId: Types.ObjectId, userId: Types.ObjectId): Promise<void> {
  assertInScope(actor, practiceId);
  const member = await deps.joining.invitedMember(practiceId, userId);
  if (member?.status !== 'invited') throw new NotFoundError('no invitation to cancel');
  const about = { practiceId, userSub: member.identity.sub };
  const removed = await change(deps.audit, actor, about, 'admin.user.invitation_cancelled', () => deps.joining.removeInvited(practiceId, member.identity));
  if (!removed) throw new NotFoundError('invitation already gone');
  await recordChange(deps.audit, actor, about, 'admin.user.invitation_cancelled', { before: { status: 'invited' }, after: null });
}

async function send(deps: InviteMemberDeps, actor: Actor, practiceId: Types.ObjectId, identity: InvitedIdentity, typed: InvitationTyped | null, resend: boolean): Promise<boolean> {
  const invitedBy = actor.kind === 'admin' ? actor.sub : 'cli';
  const issued = await deps.joining.issue(practiceId, identity, typed, invitedBy);
  try {
    await deps.mailInvitation(practiceId, identity, issued.typed, issued.link, issued.expiresAt);
  } catch (err) {
    // The membership and its audit entry stand; only the email failed (the admin is told, may resend).
    if (err instanceof DeliveryError) return false;
    throw err;
  }
  await recordChange(deps.audit, actor, { practiceId, userSub: identity.sub }, 'admin.user.invitation_sent', { expiresAt: issued.expiresAt.toISOString(), ...(resend ? { resend: true } : {}) });
  return true;
}
