// The email of an invitation to join a practice (src/commands/invite-member.ts): to an identity that
// can sign in, a link to accept while signed in; to one that cannot yet, a link to choose its
// password (today's new-account invitation). Written in the person's language (their practice's
// until they have signed in). Throws the channel's DeliveryError, so the admin is told at once.
import { recipientLanguage } from '../i18n/languages.js';
import { translatorFor } from '../i18n/translator.js';
import type { Channels } from '../mfa/channels/registry.js';

export interface PracticeInvitationMailDeps {
  mfa: { channels: Pick<Channels, 'email'> };
}

export interface PracticeInvitationMail {
  to: string;
  /** As the admin typed it. */
  name: string;
  practice: { name: string; language?: unknown } | null;
  recipient: { language?: unknown };
  /** A join link (accepted while signed in) or a set-password link. */
  kind: 'join' | 'set_password';
  link: string;
}

export async function mailPracticeInvitation(deps: PracticeInvitationMailDeps, mail: PracticeInvitationMail): Promise<void> {
  const language = recipientLanguage(mail.recipient, mail.practice);
  const t = translatorFor(language);
  const practice = mail.practice?.name ?? '';
  const paragraphs = mail.kind === 'join'
    ? [t('notices:hello', { name: mail.name }), t('members:mail.join', { practice }), mail.link, t('members:mail.join_expires')]
    : [t('notices:hello', { name: mail.name }), t('notices:invitation.created'), mail.link, t('notices:invitation.expires')];
  await deps.mfa.channels.email.send({
    kind: 'notice',
    to: mail.to,
    subject: mail.kind === 'join' ? t('members:mail.join_subject', { practice }) : practice ? t('notices:invitation.subject_to', { practice }) : t('notices:invitation.subject'),
    text: paragraphs.join('\n\n'),
    language,
    ...(practice ? { practiceName: practice } : {}),
  });
}
