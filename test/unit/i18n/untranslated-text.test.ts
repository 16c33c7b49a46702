// No English sentence reaches a page without going through i18n. Views are read with pug's own lexer
// (so only what pug shows as text counts, never markup or code): a text node with a word in it, a
// quoted phrase in code or in a text attribute (aria-label, placeholder, title, alt, data-*), unless
// it is the key of a `t(...)` call. Page modules (src/ surfaces) are scanned for string literals that
// read as a person's sentence: a page title, subject, summary, message or error, or any capitalised
// literal of three words or more ending in . ! or ?. Protocol text (error_description) and comments
// are not for people. Files not translated yet are listed in PENDING; the list only shrinks: a listed
// file that has become clean fails the test until it is taken off.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import lex from 'pug-lexer';

const ROOT = new URL('../../../', import.meta.url).pathname;

/** Not translated yet: none left (issue 16); a file that must wait is listed here, and the list only shrinks. */
const PENDING = new Set<string>([]);

/** Text that is the same in every language: punctuation, numbers, the product's and standards' names. */
const SAME_IN_EVERY_LANGUAGE = /^(?:[\s\d·:,.()|/–—-]*|JavaScript|QR|OK)$/;
const TEXT_ATTRIBUTES = /^(?:aria-label|aria-description|placeholder|title|alt|label|data-[\w-]+)$/;

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

/** Quoted phrases (two words or more) in a piece of code that are not the key of a t(...) call. */
function phrasesInCode(code: string): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(/(['"`])((?:\\.|(?!\1).)*)\1/g)) {
    const before = code.slice(0, match.index).trimEnd();
    const literal = match[2]!.replace(/\$\{[^}]*\}/g, ' ');
    if (/\bt\($/.test(before)) continue;
    if (/[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(literal)) found.push(match[2]!);
  }
  return found;
}

interface Token { type: string; val?: unknown; name?: string; loc?: { start?: { line?: number } } }

function untranslatedInView(source: string, filename = 'view.pug'): string[] {
  const found: string[] = [];
  for (const token of lex(source, { filename }) as Token[]) {
    const line = token.loc?.start?.line ?? 0;
    const value = typeof token.val === 'string' ? token.val : '';
    if (token.type === 'text' && /[A-Za-z]{2,}/.test(value) && !SAME_IN_EVERY_LANGUAGE.test(value.trim())) found.push(`${line}: ${value.trim()}`);
    if (token.type === 'code' || token.type === 'interpolated-code') found.push(...phrasesInCode(value).map((phrase) => `${line}: ${phrase}`));
    if (token.type === 'attribute' && TEXT_ATTRIBUTES.test(token.name ?? '')) found.push(...phrasesInCode(value).map((phrase) => `${line}: ${token.name}=${phrase}`));
  }
  return found;
}

const SENTENCE = /(?:\b(?:title|subject|summary|message|error|text|label): *(['`])[A-Z][a-z]+ [^'`]*\1)|(['`])[A-Z][a-z]+(?: [a-zA-Z,;:'"-]+){2,}[.!?]\2/;

function untranslatedInModule(source: string): string[] {
  return source.split('\n').flatMap((line, index) => {
    const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
    if (/error_description:|appError\(|logger\.|\.warn\(|\.info\(/.test(code)) return [];
    return SENTENCE.test(code) ? [`${index + 1}: ${line.trim()}`] : [];
  });
}

const SURFACES = ['account', 'admin', 'interactions', 'password-reset', 'changes', 'http', 'console', 'oidc'];
const views = files(join(ROOT, 'views'), '.pug');
const modules = SURFACES.flatMap((dir) => files(join(ROOT, 'src', dir), '.ts'));

describe('no English text outside i18n', () => {
  it('finds what it should (the scanner itself)', () => {
    expect(untranslatedInView("p Save the app\nbutton(aria-label='Close the menu')= t('common:continue')\n  = ok ? 'Make new codes' : t('x:y')")).to.have.length(3);
    expect(untranslatedInView("p= t('common:continue')\np\n  | · #{name}\ninput(type=\"text\" autocomplete=\"one-time-code\")")).to.deep.equal([]);
    expect(untranslatedInModule("  title: 'Recovery codes',\n  x = 'Choose one of the ways listed.';")).to.have.length(2);
    expect(untranslatedInModule("  title: t('factors:recovery.title'),\n  // 'A comment sentence here.'\n  finish({ error_description: 'The user did not allow access.' })")).to.deep.equal([]);
  });

  for (const path of [...views, ...modules]) {
    const name = relative(ROOT, path);
    const source = readFileSync(path, 'utf8');
    const found = path.endsWith('.pug') ? untranslatedInView(source, path) : untranslatedInModule(source);
    if (PENDING.has(name)) {
      it(`${name} is still listed as not translated (take it off PENDING once it is)`, () => expect(found, 'no English text left').not.to.deep.equal([]));
    } else if (found.length > 0 || path.endsWith('.pug')) {
      it(`${name} has no English text outside t(...)`, () => expect(found).to.deep.equal([]));
    }
  }
});
