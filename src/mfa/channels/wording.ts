// What each kind of message says in the short forms: the SMS text and the email subject. Codes
// come first so a phone's notification shows them; SMS carries no links (phishing looks the same).
import type { CodeKind, Message } from './channel.js';

const CODE_PURPOSE: Record<CodeKind, string> = {
  sign_in_code: 'sign-in code',
  reset_code: 'password reset code',
  phone_verification_code: 'phone verification code',
};

/** A practice name fit for one line: control characters and runs of spaces collapsed, length capped. */
export function oneLine(text: string, max = 60): string {
  const line = text.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function smsText(message: Message): string {
  const practice = message.practiceName ? ` for ${oneLine(message.practiceName)}` : '';
  switch (message.kind) {
    case 'sign_in_code':
    case 'reset_code':
    case 'phone_verification_code':
      return `${message.code} is your ${CODE_PURPOSE[message.kind]}${practice}. It expires in ${minutes(message.expiresInMinutes)}. Never share it.`;
    case 'password_changed':
      return `Your password${practice} was changed. If this was not you, contact your practice administrator now.`;
    case 'notice':
      return message.text;
  }
}

export function emailSubject(message: Message): string {
  switch (message.kind) {
    case 'sign_in_code':
    case 'reset_code':
    case 'phone_verification_code':
      return `${message.code} is your ${CODE_PURPOSE[message.kind]}`;
    case 'password_changed':
      return 'Your password was changed';
    case 'notice':
      return oneLine(message.subject, 200);
  }
}

export function minutes(count: number): string {
  return count === 1 ? '1 minute' : `${count} minutes`;
}

/**
 * `2030-01-01 09:30 UTC`: unambiguous without knowing the reader's time zone. With the practice's
 * zone, as its people read a clock: `Tue, Jan 1, 2030, 3:30 AM CST`.
 */
export function formatInstant(date: Date, zone?: string | null): string {
  if (!zone) return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short',
  }).format(date).replace(/\u202f/g, ' '); // ICU's narrow space before AM/PM: a plain one for text mail and search
}

/** An address as a person reads it: the machine itself is "this computer" (a development start). */
export function readableAddress(ip: string | null | undefined): string {
  if (!ip) return 'an unknown address';
  return ip === '::1' || ip === '::ffff:127.0.0.1' || /^127\./.test(ip) ? 'this computer' : ip;
}
