export { checkPassword, type PasswordCheck } from './check.js';
export { isCommonPassword } from './common.js';
export { containsPersonalInfo, type PersonInfo } from './personal.js';
export { DEFAULT_PASSWORD_POLICY, MAX_LENGTH_BOUNDS, MIN_LENGTH_BOUNDS, resolvePasswordPolicy, type PasswordPolicy } from './policy.js';
export { PASSWORD_RULES, describeRules, messageFor, type PasswordRule } from './rules.js';
export { strictestPolicy, type NamedPolicy, type StrictestPolicy } from './strictest.js';
