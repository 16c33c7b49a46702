// Which language a person reads, chosen in a fixed order (pure: no I/O, no request):
//   1. the language they picked with the switcher on our pages (kept in a cookie),
//   2. the app's `ui_locales` authorization parameter (space-separated BCP 47 tags, in preference order),
//   3. the browser's Accept-Language header (q-values honoured),
//   4. the practice's default language, once the practice is known,
//   5. English.
// Only the primary subtag counts: es-MX, es-419 and es all read Spanish.

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language's own name, as the switcher shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The supported language a BCP 47 tag names (`es-MX` → `es`), if any. */
export function languageOfTag(tag: string): Language | undefined {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : undefined;
}

/** The first supported language among space-separated tags (`ui_locales`). */
export function fromUiLocales(value: unknown): Language | undefined {
  if (typeof value !== 'string') return undefined;
  for (const tag of value.split(/\s+/).slice(0, 20)) {
    const language = languageOfTag(tag);
    if (language) return language;
  }
  return undefined;
}

/** The supported language the browser prefers most (`es-MX,es;q=0.9,en;q=0.8` → `es`); `*` and q=0 ignored. */
export function fromAcceptLanguage(header: unknown): Language | undefined {
  if (typeof header !== 'string') return undefined;
  let best: { language: Language; q: number } | undefined;
  for (const part of header.split(',').slice(0, 40)) {
    const [tag = '', ...params] = part.split(';');
    const language = languageOfTag(tag);
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!language || !Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { language, q };
  }
  return best?.language;
}

export interface LanguageSignals {
  chosen?: unknown;
  uiLocales?: unknown;
  acceptLanguage?: unknown;
  practiceDefault?: unknown;
}

/** The language the signals choose, or undefined when only the practice default could decide. */
export function requestLanguage(signals: Omit<LanguageSignals, 'practiceDefault'>): Language | undefined {
  return (isLanguage(signals.chosen) ? signals.chosen : undefined) ?? fromUiLocales(signals.uiLocales) ?? fromAcceptLanguage(signals.acceptLanguage);
}

export function chooseLanguage(signals: LanguageSignals): Language {
  return requestLanguage(signals) ?? (isLanguage(signals.practiceDefault) ? signals.practiceDefault : DEFAULT_LANGUAGE);
}

/**
 * The language of what is sent to a person outside their own request (a notice, an admin's
 * action, the CLI): the one they last signed in with, else their practice's, else English.
 */
export function recipientLanguage(user: { language?: unknown }, practice?: { language?: unknown } | null): Language {
  if (isLanguage(user.language)) return user.language;
  return isLanguage(practice?.language) ? practice.language : DEFAULT_LANGUAGE;
}
