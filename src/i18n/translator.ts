// The translations: one i18next instance, loaded once at start from locales/<language>/<namespace>.json
// (each page family owns a namespace file, so a new page adds its own file). Keys are written
// `namespace:path.to.key`; counts use i18next's plural suffixes (`_one`, `_other`).
// Values are not HTML-escaped here: pug escapes every `=` and `#{}` (and the plain-text email
// templates must not be entity-escaped), so escaping twice would show `&amp;` to the reader.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import i18next, { type TFunction } from 'i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './languages.js';

export const LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url));

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Every locale file, as `{ language: { namespace: tree } }`. */
export function readLocales(dir = LOCALES_DIR): Resources {
  const resources: Resources = {};
  for (const language of LANGUAGES) {
    const namespaces: Record<string, Record<string, unknown>> = {};
    for (const file of readdirSync(`${dir}${language}`).filter((name) => name.endsWith('.json')).sort()) {
      namespaces[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(`${dir}${language}/${file}`, 'utf8')) as Record<string, unknown>;
    }
    resources[language] = namespaces;
  }
  return resources;
}

const resources = readLocales();
const instance = i18next.createInstance();
void instance.init({
  resources,
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  ns: Object.keys(resources[DEFAULT_LANGUAGE] ?? {}),
  defaultNS: 'common',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

const fixed = new Map<Language, TFunction>(LANGUAGES.map((language) => [language, instance.getFixedT(language)]));

/** `t('namespace:key', { values… , count })`: the text, with `{{value}}` filled in. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

export function translateIn(language: Language, key: string, options?: Record<string, unknown>): string {
  const translate = fixed.get(language) ?? instance.getFixedT(DEFAULT_LANGUAGE);
  return String((translate as (key: string, options?: Record<string, unknown>) => unknown)(key, options));
}

/** The translate function of one language. */
export function translatorFor(language: Language): Translate {
  return (key, options) => translateIn(language, key, options);
}

/** Is there a text for this key (in the fallback language at least)? */
export function hasText(key: string): boolean {
  return instance.exists(key);
}
