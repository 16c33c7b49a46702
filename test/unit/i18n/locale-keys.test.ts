// Every text the code and views ask for exists in every language, and every text in the locale
// files is asked for somewhere. Keys are found by a plain scan: a quoted `namespace:key` literal
// anywhere in src/ or views/, or a template literal `namespace:prefix.${…}` (a family of keys
// chosen at run time, e.g. one per error code), which counts every key under that prefix as used.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { LANGUAGES } from '../../../src/i18n/languages.js';
import { readLocales, translateIn } from '../../../src/i18n/translator.js';
import { RISK_REASONS } from '../../../src/mfa/risk/index.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const PLURAL = /_(zero|one|two|few|many|other)$/;

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

function flatten(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' ? flatten(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}`]);
}

const resources = readLocales();
const namespaces = Object.keys(resources.en ?? {});
const keysOf = (language: string) => Object.entries(resources[language] ?? {}).flatMap(([ns, tree]) => flatten(tree).map((key) => `${ns}:${key}`));

const nsPattern = namespaces.join('|');
const sources = [...files(join(ROOT, 'src'), '.ts'), ...files(join(ROOT, 'views'), '.pug')].map((path) => readFileSync(path, 'utf8'));
const used = new Set<string>();
const prefixes = new Set<string>();
for (const text of sources) {
  for (const match of text.matchAll(new RegExp(`['"]((?:${nsPattern}):[A-Za-z0-9_.]+)['"]`, 'g'))) used.add(match[1]!);
  for (const match of text.matchAll(new RegExp(`\`((?:${nsPattern}):[A-Za-z0-9_.]*)\\$\\{`, 'g'))) prefixes.add(match[1]!);
}

describe('locale files', () => {
  it('has the namespaces and finds keys in use', () => {
    expect(namespaces).to.include.members(['common', 'signin', 'errors', 'messages']);
    expect(used.size).to.be.greaterThan(90);
    expect([...prefixes]).to.include('signin:why.');
  });

  for (const language of LANGUAGES) {
    it(`${language}: every key the code and views use has a text (plural forms counted)`, () => {
      const present = new Set(keysOf(language).map((key) => key.replace(PLURAL, '')));
      expect([...used].filter((key) => !present.has(key)), `missing in ${language}`).to.deep.equal([]);
      for (const prefix of prefixes) expect([...present].some((key) => key.startsWith(prefix)), `nothing under ${prefix} in ${language}`).to.equal(true);
    });

    it(`${language}: has exactly the keys English has`, () => {
      expect(keysOf(language).sort()).to.deep.equal(keysOf('en').sort());
    });
  }

  it('has no key that nobody uses', () => {
    const unused = keysOf('en').map((key) => key.replace(PLURAL, ''))
      .filter((key) => !used.has(key) && ![...prefixes].some((prefix) => key.startsWith(prefix)));
    expect([...new Set(unused)]).to.deep.equal([]);
  });

  it('has no empty Spanish text', () => {
    const spanish = new Map(Object.entries(resources.es ?? {}).flatMap(([ns, tree]) => flatten(tree).map((key) => [`${ns}:${key}`, key] as const)));
    for (const key of spanish.keys()) {
      const [ns, path] = key.split(':') as [string, string];
      const value = path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], resources.es![ns]);
      expect(value, key).to.be.a('string').and.not.equal('');
    }
  });
});

describe('keys chosen at run time', () => {
  const families: string[] = [
    ...RISK_REASONS.map((reason) => `signin:why.${reason}`),
    ...['sms', 'email'].flatMap((channel) => ['invalid_recipient', 'provider_unavailable', 'timeout', 'not_configured'].map((code) => `signin:delivery.${channel}.${code}`)),
    ...['sign_in_code', 'reset_code', 'phone_verification_code'].flatMap((kind) => [`messages:sms.${kind}`, `messages:sms.${kind}_for`, `messages:subject.${kind}`]),
  ];
  for (const language of LANGUAGES) {
    it(`${language}: every risk reason, delivery failure and code message has its text`, () => {
      const missing = families.filter((key) => translateIn(language, key, { code: '1', practice: 'P', expiresIn: '1' }) === key);
      expect(missing).to.deep.equal([]);
    });
  }
});
