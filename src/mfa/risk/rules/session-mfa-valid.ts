// Waiver: the browser session already holds MFA (within max_age when given, no prompt=login), so it
// satisfies any demand of this request, step-up included. This is what makes SSO work: a second
// module reusing an MFA session is not asked again. A single-factor session waives nothing, so it is
// stepped up as soon as the policy demands a code (e.g. an admin switched to `always`).
import type { Waiver } from '../types.js';
import { freshSignInForced } from './fresh-sign-in.js';

export const sessionMfaValid: Waiver = (signals) =>
  signals.session.level === 'multi-factor' && !freshSignInForced(signals) ? ['session_mfa_valid'] : undefined;
