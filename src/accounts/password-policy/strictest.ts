// One password serves every practice a person works for, so it must satisfy all of them: the
// strictest of their policies (the longest minimum, the shortest maximum, every switch any of them
// turns on). `askedBy` says which practices asked for each rule, for the rule list the person reads.
import { activeRules, type PasswordRule } from './rules.js';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './policy.js';

export interface NamedPolicy {
  /** The practice's name, as the person knows it. */
  name: string;
  policy: PasswordPolicy;
}

export interface StrictestPolicy {
  policy: PasswordPolicy;
  /** Per rule in force: the practices whose own policy asks for it as strictly (empty: the default). */
  askedBy: Partial<Record<PasswordRule, string[]>>;
}

export function strictestPolicy(policies: readonly NamedPolicy[]): StrictestPolicy {
  if (policies.length === 0) return { policy: DEFAULT_PASSWORD_POLICY, askedBy: {} };
  const all = policies.map(({ policy }) => policy);
  const policy: PasswordPolicy = {
    minLength: Math.max(...all.map((p) => p.minLength)),
    maxLength: Math.min(...all.map((p) => p.maxLength)),
    requireUpper: all.some((p) => p.requireUpper),
    requireLower: all.some((p) => p.requireLower),
    requireDigit: all.some((p) => p.requireDigit),
    requireSpecial: all.some((p) => p.requireSpecial),
    rejectCommon: all.some((p) => p.rejectCommon),
    rejectPersonal: all.some((p) => p.rejectPersonal),
  };
  const askedBy: Partial<Record<PasswordRule, string[]>> = {};
  for (const rule of activeRules(policy)) {
    askedBy[rule] = policies.filter(({ policy: own }) => asStrict(rule, own, policy)).map(({ name }) => name);
  }
  return { policy, askedBy };
}

/** Does this practice's own policy ask for the rule as strictly as the combined one? */
function asStrict(rule: PasswordRule, own: PasswordPolicy, combined: PasswordPolicy): boolean {
  switch (rule) {
    case 'min_length': return own.minLength === combined.minLength;
    case 'max_length': return own.maxLength === combined.maxLength;
    case 'upper': return own.requireUpper;
    case 'lower': return own.requireLower;
    case 'digit': return own.requireDigit;
    case 'special': return own.requireSpecial;
    case 'not_common': return own.rejectCommon;
    case 'not_personal': return own.rejectPersonal;
  }
}
