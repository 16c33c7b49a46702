// Demand: the application asked for the MFA level (acr_values or an essential acr claim). Serves
// step-up for sensitive modules (e.g. admin, e-prescribing); a trusted IP never waives it.
import type { Demand } from '../types.js';

export const stepUpRequested: Demand = ({ request }) => (request.mfaRequested ? 'step_up_requested' : undefined);
