// A day as a person reads it on a page, in the request's language and, when the practice has one,
// its time zone: "Dec 3, 2026" / "3 dic 2026" (a date alone: when in the day matters little).
import { currentLanguage } from './request.js';

const LOCALES = { en: 'en-US', es: 'es-US' } as const;

export function formatDay(date: Date, zone?: string | null): string {
  return new Intl.DateTimeFormat(LOCALES[currentLanguage()], { year: 'numeric', month: 'short', day: 'numeric', timeZone: zone ?? 'UTC' }).format(date);
}
