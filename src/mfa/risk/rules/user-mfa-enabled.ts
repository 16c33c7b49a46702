// Demand: the user (or an admin for them) turned two-step sign-in on, so it is asked at every sign-in
// in `off` and `risk` modes (the help article: "required every time you log in unless ... trusted IP").
// In `always` mode the practice rule already covers it, so it is not repeated.
import type { Demand } from '../types.js';

export const userMfaEnabled: Demand = ({ userMfaEnabled: enabled }, policy) =>
  enabled && policy.mode !== 'always' ? 'user_mfa_enabled' : undefined;
