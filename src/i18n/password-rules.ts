// The password rules as a person reads them, in the request's language (the policy module itself
// stays pure and English: src/accounts/password-policy/rules.ts).
import { activeRules } from '../accounts/password-policy/rules.js';
import type { PasswordPolicy } from '../accounts/password-policy/policy.js';
import type { PasswordRule } from '../accounts/password-policy/index.js';
import { t } from './request.js';

export function ruleText(rule: PasswordRule, policy: PasswordPolicy): string {
  return t(`password:rules.${rule}`, { min: policy.minLength, max: policy.maxLength });
}

/**
 * Every rule of the policy as { rule, text }, for showing before the person types. With `askedBy`
 * (a person in several practices: the strictest of their policies applies), each rule names the
 * practices that asked for it.
 */
export function describeRulesInLanguage(policy: PasswordPolicy, askedBy?: Partial<Record<PasswordRule, string[]>>): { rule: PasswordRule; text: string }[] {
  return activeRules(policy).map((rule) => {
    const text = ruleText(rule, policy);
    const practices = askedBy?.[rule] ?? [];
    return { rule, text: practices.length > 0 ? t('password:asked_by', { rule: text, practices: practices.join(', ') }) : text };
  });
}
