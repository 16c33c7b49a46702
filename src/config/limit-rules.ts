// The abuse limits: how many requests each key may make per window. `signin_ip` counts failed
// sign-ins only (a clinic behind one NAT address signs in hundreds of users a minute; a spray fails
// and is counted). Limits are about volume (scripts, floods), not about locking a victim out: account lockout lives in
// src/mfa/lockout.ts. Keys that name an account are combined with the client IP, so a flood from
// one place never blocks the real user elsewhere; only reset_address is per address alone,
// because what it protects (an inbox) is per address. Code messages to a user have their own cap
// (src/mfa/code-message-cap.ts), which only counts messages actually tried.

export const LIMIT_NAMES = ['signin_ip', 'signin_account', 'code_entry', 'reset_ip', 'reset_address', 'token_ip', 'audit_verify', 'account_change'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

export interface LimitRule {
  /** Requests allowed per window. */
  points: number;
  /** Window length in seconds. */
  seconds: number;
}

export type LimitRules = Readonly<Record<LimitName, LimitRule>>;

export const DEFAULT_LIMITS: LimitRules = {
  signin_ip: { points: 30, seconds: 15 * 60 },
  signin_account: { points: 20, seconds: 15 * 60 },
  code_entry: { points: 20, seconds: 15 * 60 },
  reset_ip: { points: 10, seconds: 15 * 60 },
  reset_address: { points: 3, seconds: 60 * 60 },
  token_ip: { points: 600, seconds: 60 },
  /** An admin's chain check, per practice: each walks up to 50,000 entries (src/audit/practice-view.ts). */
  audit_verify: { points: 5, seconds: 15 * 60 },
  /** Admin requests for a new email of a user: each mails a link to any address typed and a notice to
   *  the user. Keyed by the user and, apart, by the admin, so neither inbox can be flooded. */
  account_change: { points: 5, seconds: 60 * 60 },
};

const isLimitName = (name: string): name is LimitName => (LIMIT_NAMES as readonly string[]).includes(name);

/**
 * Parses `RATE_LIMITS`: `name=points/seconds` pairs separated by commas, e.g.
 * `signin_ip=60/60,token_ip=1200/60`. Returns the overrides, or a message saying what is wrong.
 */
export function parseLimitOverrides(text: string): { rules: Partial<Record<LimitName, LimitRule>> } | { error: string } {
  const rules: Partial<Record<LimitName, LimitRule>> = {};
  for (const pair of text.split(',').map((item) => item.trim()).filter(Boolean)) {
    const match = /^([a-z_]+)=(\d{1,7})\/(\d{1,7})$/.exec(pair);
    if (!match) return { error: `"${pair}" is not name=points/seconds` };
    const [, name = '', points, seconds] = match;
    if (!isLimitName(name)) return { error: `unknown limit "${name}" (known: ${LIMIT_NAMES.join(', ')})` };
    const rule = { points: Number(points), seconds: Number(seconds) };
    if (rule.points < 1 || rule.seconds < 1) return { error: `"${pair}" needs at least 1 point and 1 second` };
    rules[name] = rule;
  }
  return { rules };
}
