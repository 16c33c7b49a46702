// Security notices: "your password was changed", "two-step sign-in was turned off", "a phone number
// was added"… sent by email after the change has happened. Delivery goes through the MFA email
// channel (its SMTP transport, or the development outbox) as a `notice` message, which the shared
// views/email/notice.pug and text/notice.pug render one paragraph at a time.
//
// Never throws: the change it reports is already stored and audited, so a mail server being down
// must not turn a completed change into an error page. A failure is logged through the app's logger
// (pino, with its redaction; masked address and the channel's error code only) and reported as `false`.
import type { Channels } from '../mfa/channels/registry.js';
import { formatInstant, readableAddress } from '../mfa/channels/wording.js';
import { maskRecipient } from '../mfa/channels/mask.js';
import { DEFAULT_LANGUAGE, type Language } from '../i18n/languages.js';
import { translateIn, translatorFor } from '../i18n/translator.js';
import type { Logger } from '../observability/logger.js';

/** What sending a notice needs: the email channel and where a failure is logged. */
export interface NoticeDeps {
  mfa: { channels: Pick<Channels, 'email'> };
  logger: Pick<Logger, 'warn'>;
}

export interface SecurityNoticeContent {
  /** Short, e.g. "Your password was changed". Product text, never user input. */
  subject: string;
  /** One sentence saying what happened. */
  summary: string;
  /** Further sentences, one paragraph each (e.g. "Every other session was signed out."). */
  details?: string[];
  /** Where the change was made from, when known. */
  ip?: string;
  at: Date;
  /** The practice's time zone: `at` is written as its clocks read it (UTC when it has none). */
  timeZone?: string | null;
  /** Names the practice in the email's footer. */
  practiceName?: string;
  /** The language its subject, summary and details are written in (default English): the rest follows it. */
  language?: Language;
}

export const IF_NOT_YOU = translateIn(DEFAULT_LANGUAGE, 'notices:if_not_you');

/** The paragraphs of a notice, in reading order; the last one is always "if this wasn't you" (IF_NOT_YOU in English). */
export function noticeParagraphs(user: { name: string }, notice: SecurityNoticeContent, language: Language = DEFAULT_LANGUAGE): string[] {
  const t = translatorFor(language);
  const name = user.name.replace(/\s+/g, ' ').trim();
  const at = formatInstant(notice.at, notice.timeZone, language);
  const here = notice.ip !== undefined && readableAddress(notice.ip, language) !== notice.ip;
  const when = !notice.ip ? t('notices:when', { at }) : here ? t('notices:when_here', { at }) : t('notices:when_from', { at, ip: notice.ip });
  return [
    ...(name ? [t('notices:hello', { name })] : []),
    notice.summary,
    ...(notice.details ?? []),
    when,
    t('notices:if_not_you'),
  ].map((paragraph) => paragraph.replace(/\n\s*\n/g, '\n'));
}

export async function sendSecurityNotice(
  deps: NoticeDeps,
  user: { email: string; name: string },
  notice: SecurityNoticeContent,
): Promise<boolean> {
  try {
    await deps.mfa.channels.email.send({
      kind: 'notice',
      to: user.email,
      subject: notice.subject,
      text: noticeParagraphs(user, notice, notice.language).join('\n\n'),
      language: notice.language ?? DEFAULT_LANGUAGE,
      ...(notice.practiceName ? { practiceName: notice.practiceName } : {}),
    });
    return true;
  } catch (err) {
    deps.logger.warn('security notice not sent', { subject: notice.subject, to: maskRecipient(user.email), reason: deliveryFailure(err) });
    return false;
  }
}

/**
 * Why a mail did not go, safe to log: DeliveryError messages name only the masked recipient and the
 * provider's code; anything else is reduced to its class name so no address or body leaks.
 */
export function deliveryFailure(err: unknown): string {
  return err instanceof Error && 'channel' in err ? err.message : (err as Error)?.name ?? 'unknown error';
}
