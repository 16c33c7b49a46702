// Note on a required code: the session held MFA, but the app forced a fresh sign-in (prompt=login or
// max_age exceeded), which is why a second module or a repeat visit is asked again.
import type { Demand } from '../types.js';
import { freshSignInForced } from './fresh-sign-in.js';

export const freshSignInRequested: Demand = (signals) =>
  signals.session.level === 'multi-factor' && freshSignInForced(signals) ? 'fresh_sign_in_requested' : undefined;
