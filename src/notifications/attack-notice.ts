// "Someone is trying to sign in to your account": sent by the lockout (at most once a day) when
// sign-ins from unfamiliar devices and networks are refused for a user. Never throws: the refusal
// stands whether or not the mail goes out.
import { deliveryFailure, noticeParagraphs } from './security-notice.js';
import type { Models } from '../store/models/index.js';
import type { AttackNotice } from '../mfa/account-lockout.js';
import { maskRecipient } from '../mfa/channels/mask.js';
import type { Channels } from '../mfa/channels/registry.js';
import type { Logger } from '../observability/logger.js';

export const ATTACK_SUBJECT = 'Someone is trying to sign in to your account';

export async function sendAttackNotice(channels: Channels, models: Models, { user, at, ip }: AttackNotice, logger: Pick<Logger, 'warn'>): Promise<boolean> {
  try {
    const practice = await models.Practice.findById(user.practiceId, { name: 1, timeZone: 1 }).lean();
    await channels.email.send({
      kind: 'notice',
      to: user.email,
      subject: ATTACK_SUBJECT,
      text: noticeParagraphs(user, {
        subject: ATTACK_SUBJECT,
        summary: 'There were many failed attempts to sign in to your account from devices and networks you have not used before. '
          + 'For your security, sign-ins from unfamiliar places are paused for a while.',
        details: [
          'You can still sign in as usual from your own computer or your practice network.',
          'If you did not try to sign in, nothing else is needed: your password and codes were not accepted. Consider changing your password if you use it anywhere else.',
        ],
        at: new Date(at),
        timeZone: practice?.timeZone ?? null,
        ...(ip ? { ip } : {}),
      }).join('\n\n'),
      ...(practice?.name ? { practiceName: practice.name } : {}),
    });
    return true;
  } catch (err) {
    logger.warn('security notice not sent', { subject: ATTACK_SUBJECT, to: maskRecipient(user.email), reason: deliveryFailure(err) });
    return false;
  }
}
