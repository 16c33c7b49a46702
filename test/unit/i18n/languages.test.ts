// Choosing the language, by table: switcher choice, then ui_locales, then Accept-Language (q-values
// honoured, q=0 and unknown tags ignored), then the practice default, then English.
import { expect } from 'chai';
import { chooseLanguage, fromAcceptLanguage, fromUiLocales, recipientLanguage, type LanguageSignals } from '../../../src/i18n/languages.js';

describe('i18n: choosing the language', () => {
  const cases: Array<[string, LanguageSignals, 'en' | 'es']> = [
    ['nothing said', {}, 'en'],
    ['ui_locales es', { uiLocales: 'es' }, 'es'],
    ['ui_locales first supported tag wins', { uiLocales: 'fr-CA es-MX en' }, 'es'],
    ['ui_locales beats Accept-Language', { uiLocales: 'en-US', acceptLanguage: 'es' }, 'en'],
    ['unsupported ui_locales falls to Accept-Language', { uiLocales: 'fr', acceptLanguage: 'es-MX,es;q=0.9' }, 'es'],
    ['Accept-Language by q-value, not order', { acceptLanguage: 'fr;q=1, en;q=0.5, es;q=0.8' }, 'es'],
    ['Accept-Language q=0 means "not this"', { acceptLanguage: 'es;q=0, en;q=0.1' }, 'en'],
    ['Accept-Language es-419', { acceptLanguage: 'es-419' }, 'es'],
    ['Accept-Language * alone says nothing', { acceptLanguage: '*', practiceDefault: 'es' }, 'es'],
    ['practice default when the browser names nothing we have', { acceptLanguage: 'de-DE,fr;q=0.8', practiceDefault: 'es' }, 'es'],
    ['Accept-Language beats the practice default', { acceptLanguage: 'en-US', practiceDefault: 'es' }, 'en'],
    ['the switcher beats everything', { chosen: 'es', uiLocales: 'en', acceptLanguage: 'en' }, 'es'],
    ['an unknown switcher value is ignored', { chosen: 'xx', acceptLanguage: 'es' }, 'es'],
    ['an unknown practice default is English', { practiceDefault: 'fr' }, 'en'],
    ['not a string', { uiLocales: ['es'], acceptLanguage: 42 }, 'en'],
  ];
  for (const [name, signals, expected] of cases) {
    it(name, () => expect(chooseLanguage(signals)).to.equal(expected));
  }

  it('reads tags case-insensitively and ignores malformed q-values', () => {
    expect(fromUiLocales('ES-mx')).to.equal('es');
    expect(fromAcceptLanguage('es;q=abc, en;q=0.2')).to.equal('en');
    expect(fromAcceptLanguage('')).to.equal(undefined);
  });

  it('a recipient gets their last sign-in language, else their practice\'s, else English', () => {
    expect(recipientLanguage({ language: 'es' }, { language: 'en' })).to.equal('es');
    expect(recipientLanguage({}, { language: 'es' })).to.equal('es');
    expect(recipientLanguage({ language: 'fr' }, null)).to.equal('en');
  });
});
