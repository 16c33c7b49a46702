// Invitations: an emailed link with which a new user sets their first password. The token is 32
// random bytes; the store keeps only its SHA-256 (password-token model). A link works once, for
// 72 hours, and no longer once the account has a password set after it was sent.
import { recipientLanguage } from '../i18n/languages.js';
import { translatorFor } from '../i18n/translator.js';
import { type AccountsPasswordChangeDeps, changePassword, type PasswordChangeResult } from '../accounts/password-change.js';
import { createPracticeJoining } from '../accounts/practice-joining.js';
import { checkPassword, type PasswordPolicy, type PasswordRule } from '../accounts/password-policy/index.js';
import type { UserDoc } from '../accounts/service.js';
import type { RequestInfo } from './service.js';
import { hashLinkToken, isLinkToken, newLinkToken } from '../security/link-token.js';

/** What this module needs from the composition root (src/app/): what setting a password needs, and the issuer for the link. */
export interface InvitationServices extends AccountsPasswordChangeDeps {
  /** The public issuer URL. */
  issuer: string;
}

export const INVITATION_TTL_MS = 72 * 60 * 60_000;

export interface InvitationOptions {
  actor: { sub: string; role?: string };
  ip?: string;
  userAgent?: string;
}

/**
 * Emails `user` a link to set a password and audits `admin.user.invitation_sent`. Throws the
 * channel's DeliveryError when the email cannot be sent (the link is then withdrawn), so the admin
 * learns it at once.
 */

export async function sendInvitation(services: InvitationServices, user: UserDoc, options: InvitationOptions): Promise<{ expiresAt: Date }> {
  const { token, hash } = newLinkToken();
  const now = services.now();
  const expiresAt = new Date(now + INVITATION_TTL_MS);
  await services.models.PasswordToken.create({ _id: hash, purpose: 'invitation', userSub: user.sub, createdAt: new Date(now), expiresAt });
  const practice = await services.accounts.findPractice(user.practiceId);
  const link = new URL(`/password-reset/invitation/${token}`, services.issuer).href;
  // Sent by an admin or the CLI: in the new user's language (their practice's, until they sign in).
  const language = recipientLanguage(user, practice);
  const t = translatorFor(language);
  try {
    await services.mfa.channels.email.send({
      kind: 'notice',
      to: user.email,
      subject: practice?.name ? t('notices:invitation.subject_to', { practice: practice.name }) : t('notices:invitation.subject'),
      text: [
        t('notices:hello', { name: user.name }),
        t('notices:invitation.created'),
        link,
        t('notices:invitation.expires'),
      ].join('\n\n'),
      language,
      ...(practice?.name ? { practiceName: practice.name } : {}),
    });
  } catch (err) {
    await services.models.PasswordToken.deleteOne({ _id: hash });
    throw err;
  }
  await services.audit.record({
    event: 'admin.user.invitation_sent', outcome: 'success', practiceId: user.practiceId.toHexString(), userSub: user.sub, actor: options.actor,
    ...(options.ip ? { ip: options.ip } : {}), ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    details: { expiresAt: expiresAt.toISOString() },
  });
  return { expiresAt };
}

/** The user an invitation link is for, while it is usable. */
export async function findInvitation(services: InvitationServices, token: string): Promise<UserDoc | undefined> {
  if (!isLinkToken(token)) return undefined;
  const record = await services.models.PasswordToken.findOne({ _id: hashLinkToken(token), purpose: 'invitation', expiresAt: { $gt: new Date(services.now()) } }).lean();
  if (!record) return undefined;
  const user = await services.accounts.findUserBySub(record.userSub);
  // A practice's invitation (src/commands/invite-member.ts) is for a membership still 'invited'.
  const invitedHere = user && record.practiceId ? await services.models.Membership.exists({ userId: user._id, practiceId: record.practiceId, status: 'invited' }) : null;
  if (!user || (!user.active && !invitedHere)) return undefined;
  // A password set since the invitation was sent (by a reset, say) ends the invitation.
  if (user.passwordChangedAt && user.passwordChangedAt.getTime() >= record.createdAt.getTime()) return undefined;
  return user;
}

export type AcceptResult =
  | { status: 'done'; change: PasswordChangeResult }
  | { status: 'weak'; unmet: PasswordRule[]; policy: PasswordPolicy }
  | { status: 'gone' };

/** Sets the first password; a refused one keeps the link usable, an accepted one uses it up first. */
export async function acceptInvitation(services: InvitationServices, token: string, user: UserDoc, password: string, info: RequestInfo): Promise<AcceptResult> {
  const { policy } = await services.accounts.passwordPolicyForUser(user._id);
  const { ok, unmet } = checkPassword(password, policy, { name: user.name, email: user.email });
  if (!ok) return { status: 'weak', unmet, policy };
  const taken = await services.models.PasswordToken.findOneAndDelete({ _id: hashLinkToken(token), userSub: user.sub, expiresAt: { $gt: new Date(services.now()) } }).lean();
  if (!taken) return { status: 'gone' };
  const change = await changePassword(services, { user, newPassword: password, reason: 'invitation', ...info });
  // A practice's invitation (src/commands/invite-member.ts): choosing the password joins it.
  if (taken.practiceId && (await createPracticeJoining(services).passwordLinkUsed(taken.practiceId, user._id))) {
    await services.audit.record({ event: 'membership.joined', outcome: 'success', practiceId: taken.practiceId, userSub: user.sub,
      ...(info.ip ? { ip: info.ip } : {}), ...(info.userAgent ? { userAgent: info.userAgent } : {}) });
  }
  return { status: 'done', change };
}
