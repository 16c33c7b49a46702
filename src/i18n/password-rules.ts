// The password rules as a person reads them, in the request's language (the policy module itself
// stays pure and English: src/accounts/password-policy/rules.ts).
import { activeRules } from '../accounts/password-policy/rules.js';
import type { PasswordPolicy } from '../accounts/password-policy/policy.js';
import type { PasswordRule } from '../accounts/password-policy/index.js';
import { t } from './request.js';

export function ruleText(rule: PasswordRule, policy: PasswordPolicy): string {
  return t(`password:rules.${rule}`, { min: policy.minLength, max: policy.maxLength });
}

/** Every rule of the policy as { rule, text }, for showing before the person types. */
export function describeRulesInLanguage(policy: PasswordPolicy): { rule: PasswordRule; text: string }[] {
  return activeRules(policy).map((rule) => ({ rule, text: ruleText(rule, policy) }));
}
