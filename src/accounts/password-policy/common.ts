// Is a password common or trivially guessable? Checked against the shipped list after undoing the
// usual decorations (see common-passwords.txt). The list is a few hundred curated entries, not a full
// breach corpus: it stops the most frequent choices, not every password seen in a breach.
import { readFileSync } from 'node:fs';

let list: ReadonlySet<string> | undefined;

/** The shipped list, read once on first use. */
export function commonPasswords(): ReadonlySet<string> {
  list ??= parseList(readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8'));
  return list;
}

export function parseList(text: string): ReadonlySet<string> {
  const entries = text.split(/\r?\n/).map((line) => line.trim().normalize('NFC').toLowerCase());
  return new Set(entries.filter((line) => line && !line.startsWith('#')));
}

const LEET: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '3': 'e', '$': 's', '5': 's', '7': 't', '!': 'i', '|': 'l' };

const stripEnds = (text: string) => text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
const lettersOnly = (text: string) => text.replace(/[^\p{L}]/gu, '');
const undoSubstitutions = (text: string, one: string) => [...text].map((c) => (c === '1' ? one : LEET[c] ?? c)).join('');

/**
 * The forms a guesser tries first: as typed, ends stripped, substitutions undone (before or after
 * stripping). `squeezed` also drops symbols inside ("pass-w0rd" -> "password"); those are only
 * looked up in the list, never judged trivial, so a few letters among random digits stay allowed.
 */
export function guessableForms(password: string): { forms: string[]; squeezed: string[] } {
  const lower = password.normalize('NFC').toLowerCase();
  const stripped = stripEnds(lower);
  const forms = new Set([lower, stripped, lower.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')]);
  const squeezed = new Set([lettersOnly(stripped)]);
  for (const one of ['i', 'l']) {
    const undone = undoSubstitutions(stripped, one);
    forms.add(undone).add(stripEnds(undoSubstitutions(lower, one)));
    squeezed.add(lettersOnly(undone));
  }
  const nonEmpty = (set: Set<string>) => [...set].filter(Boolean);
  return { forms: nonEmpty(forms), squeezed: nonEmpty(squeezed) };
}

export function isCommonPassword(password: string, entries: ReadonlySet<string> = commonPasswords()): boolean {
  const listed = (form: string) => entries.has(form) || entries.has(foldRepeats([...form]).join(''));
  const { forms, squeezed } = guessableForms(password);
  return forms.some((form) => listed(form) || isTrivial([...form])) || squeezed.some(listed);
}

/** "passwordpassword" -> "password"; "abcabcabc" -> "abc". */
function foldRepeats(chars: string[]): string[] {
  for (let size = 1; size <= chars.length / 2; size++) {
    if (chars.length % size !== 0) continue;
    if (chars.every((c, i) => c === chars[i % size])) return chars.slice(0, size);
  }
  return chars;
}

/** One short unit repeated ("aaaa", "abab") or a run of neighbouring characters ("abcdef", "98765"). */
function isTrivial(chars: string[]): boolean {
  if (chars.length === 0) return false;
  if (foldRepeats(chars).length <= 3 && chars.length > 3) return true;
  const points = chars.map((c) => c.codePointAt(0)!);
  const step = points[1]! - points[0]!;
  return chars.length >= 4 && Math.abs(step) === 1 && points.every((p, i) => i === 0 || p - points[i - 1]! === step);
}
