// The closed list of password rules and the sentence a person reads for each: shown before they type
// (describeRules) and naming what was missed after (messageFor).
import type { PasswordPolicy } from './policy.js';

export const PASSWORD_RULES = ['min_length', 'max_length', 'upper', 'lower', 'digit', 'special', 'not_common', 'not_personal'] as const;
export type PasswordRule = (typeof PASSWORD_RULES)[number];

/** The rules a policy enforces, in the order they are shown. */
export function activeRules(policy: PasswordPolicy): PasswordRule[] {
  const on: Record<PasswordRule, boolean> = {
    min_length: true,
    max_length: true,
    upper: policy.requireUpper,
    lower: policy.requireLower,
    digit: policy.requireDigit,
    special: policy.requireSpecial,
    not_common: policy.rejectCommon,
    not_personal: policy.rejectPersonal,
  };
  return PASSWORD_RULES.filter((rule) => on[rule]);
}

export function messageFor(rule: PasswordRule, policy: PasswordPolicy): string {
  switch (rule) {
    case 'min_length': return `At least ${policy.minLength} characters.`;
    case 'max_length': return `At most ${policy.maxLength} characters.`;
    case 'upper': return 'At least one capital letter.';
    case 'lower': return 'At least one small letter.';
    case 'digit': return 'At least one digit.';
    case 'special': return 'At least one symbol or space (anything that is not a letter or digit).';
    case 'not_common': return 'Not a common or easily guessed password.';
    case 'not_personal': return 'Not containing your name or email address.';
  }
}

/** Every rule of the policy as { rule, text }, for showing before the person types. */
export function describeRules(policy: PasswordPolicy): { rule: PasswordRule; text: string }[] {
  return activeRules(policy).map((rule) => ({ rule, text: messageFor(rule, policy) }));
}
