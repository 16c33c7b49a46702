// Waiver: no rule demanded a code. In risk mode that means a known device on a known network, said
// so (the caller adds amr `rba`); in off mode, that the user did not turn two-step sign-in on.
import type { Waiver } from '../types.js';

export const nothingDemanded: Waiver = (_signals, policy, demands) => {
  if (demands.length > 0) return undefined;
  return policy.mode === 'risk' ? ['known_device', 'known_network'] : ['mfa_not_enabled'];
};
