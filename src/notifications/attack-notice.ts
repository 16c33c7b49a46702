// "Someone is trying to sign in to your account": sent by the lockout (at most once a day) when
// sign-ins from unfamiliar devices and networks are refused for a user. Never throws: the refusal
// stands whether or not the mail goes out.
import { DEFAULT_LANGUAGE, recipientLanguage } from '../i18n/languages.js';
import { translateIn, translatorFor } from '../i18n/translator.js';

import { deliveryFailure, noticeParagraphs } from './security-notice.js';
import type { Models } from '../store/models/index.js';
import type { AttackNotice } from '../mfa/account-lockout.js';
import { maskRecipient } from '../mfa/channels/mask.js';
import type { Channels } from '../mfa/channels/registry.js';
import type { Logger } from '../observability/logger.js';

export const ATTACK_SUBJECT = translateIn(DEFAULT_LANGUAGE, 'notices:attack.subject');

export async function sendAttackNotice(channels: Channels, models: Models, { user, at, ip }: AttackNotice, logger: Pick<Logger, 'warn'>): Promise<boolean> {
  try {
    const practice = await models.Practice.findById(user.practiceId, { name: 1, language: 1, timeZone: 1 }).lean();
    // Sent while someone else's sign-in is refused: in the account holder's language, not theirs.
    const language = recipientLanguage(user, practice);
    const t = translatorFor(language);
    const subject = t('notices:attack.subject');
    await channels.email.send({
      kind: 'notice',
      to: user.email,
      subject,
      text: noticeParagraphs(user, {
        subject,
        summary: t('notices:attack.summary'),
        details: [t('notices:attack.own_places'), t('notices:attack.not_you')],
        at: new Date(at),
        timeZone: practice?.timeZone ?? null,
        ...(ip ? { ip } : {}),
      }, language).join('\n\n'),
      language,
      ...(practice?.name ? { practiceName: practice.name } : {}),
    });
    return true;
  } catch (err) {
    logger.warn('security notice not sent', { subject: ATTACK_SUBJECT, to: maskRecipient(user.email), reason: deliveryFailure(err) });
    return false;
  }
}
