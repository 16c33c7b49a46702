// What each kind of message says in the short forms: the SMS text and the email subject. Codes
// come first so a phone's notification shows them; SMS carries no links (phishing looks the same).
// The words are in locales/<language>/messages.json, in the message's language (messageLanguage).
import { DEFAULT_LANGUAGE, type Language } from '../../i18n/languages.js';
import { currentLanguage } from '../../i18n/request.js';
import { translatorFor } from '../../i18n/translator.js';
import type { Message } from './channel.js';

/**
 * The language a message is written in: its recipient's, when the sender named it (a notice sent
 * outside the recipient's own request), else the language of the request that sends it.
 */
export function messageLanguage(message: Message): Language {
  return message.language ?? currentLanguage();
}

/** A practice name fit for one line: control characters and runs of spaces collapsed, length capped. */
export function oneLine(text: string, max = 60): string {
  const line = text.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function smsText(message: Message): string {
  const t = translatorFor(messageLanguage(message));
  const practice = message.practiceName ? oneLine(message.practiceName) : undefined;
  switch (message.kind) {
    case 'sign_in_code':
    case 'reset_code':
    case 'phone_verification_code':
      return t(practice ? `messages:sms.${message.kind}_for` : `messages:sms.${message.kind}`, { code: message.code, practice, expiresIn: t('common:minutes', { count: message.expiresInMinutes }) });
    case 'password_changed':
      return t(practice ? 'messages:sms.password_changed_for' : 'messages:sms.password_changed', { practice });
    case 'notice':
      return message.text;
  }
}

export function emailSubject(message: Message): string {
  const t = translatorFor(messageLanguage(message));
  switch (message.kind) {
    case 'sign_in_code':
    case 'reset_code':
    case 'phone_verification_code':
      return t(`messages:subject.${message.kind}`, { code: message.code });
    case 'password_changed':
      return t('messages:subject.password_changed');
    case 'notice':
      return oneLine(message.subject, 200);
  }
}

export function minutes(count: number, language: Language = currentLanguage()): string {
  return translatorFor(language)('common:minutes', { count });
}

/** The Intl locale for dates in a language: US conventions (the clinics are in the US). */
const DATE_LOCALES: Record<Language, string> = { en: 'en-US', es: 'es-US' };

/**
 * `2030-01-01 09:30 UTC`: unambiguous without knowing the reader's time zone. With the practice's
 * zone, as its people read a clock: `Tue, Jan 1, 2030, 3:30 AM CST` (in the reader's language).
 */
export function formatInstant(date: Date, zone?: string | null, language: Language = currentLanguage()): string {
  if (!zone) return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return new Intl.DateTimeFormat(DATE_LOCALES[language] ?? DATE_LOCALES[DEFAULT_LANGUAGE], {
    timeZone: zone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short',
  }).format(date).replace(/\u202f/g, ' '); // ICU's narrow space before AM/PM: a plain one for text mail and search
}

/** An address as a person reads it: the machine itself is "this computer" (a development start). */
export function readableAddress(ip: string | null | undefined, language: Language = currentLanguage()): string {
  const t = translatorFor(language);
  if (!ip) return t('messages:address.unknown');
  return ip === '::1' || ip === '::ffff:127.0.0.1' || /^127\./.test(ip) ? t('messages:address.this_computer') : ip;
}
