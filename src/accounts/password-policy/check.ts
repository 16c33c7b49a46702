// checkPassword: which of a policy's rules a password misses. Pure: no I/O beyond the common list,
// which is read once. Lengths count Unicode code points of the NFC form.
import { isCommonPassword } from './common.js';
import { containsPersonalInfo, type PersonInfo } from './personal.js';
import type { PasswordPolicy } from './policy.js';
import { activeRules, type PasswordRule } from './rules.js';

export interface PasswordCheck {
  readonly ok: boolean;
  readonly unmet: PasswordRule[];
}

const TESTS: Record<PasswordRule, (password: string, policy: PasswordPolicy, person: PersonInfo, length: number) => boolean> = {
  min_length: (_p, policy, _person, length) => length >= policy.minLength,
  max_length: (_p, policy, _person, length) => length <= policy.maxLength,
  upper: (password) => /\p{Lu}/u.test(password),
  lower: (password) => /\p{Ll}/u.test(password),
  digit: (password) => /\p{Nd}/u.test(password),
  special: (password) => /[^\p{L}\p{Nd}]/u.test(password),
  not_common: (password) => !isCommonPassword(password),
  not_personal: (password, _policy, person) => !containsPersonalInfo(password, person),
};

export function checkPassword(password: string, policy: PasswordPolicy, person: PersonInfo = {}): PasswordCheck {
  if (typeof password !== 'string') return { ok: false, unmet: ['min_length'] };
  // A code point is at most two UTF-16 units: anything longer is over the limit for sure, and is
  // refused without normalizing or scanning so a huge input costs nothing.
  if (password.length > 2 * policy.maxLength) return { ok: false, unmet: ['max_length'] };
  const normalized = password.normalize('NFC');
  const length = [...normalized].length;
  const unmet = activeRules(policy).filter((rule) => !TESTS[rule](normalized, policy, person, length));
  return { ok: unmet.length === 0, unmet };
}
