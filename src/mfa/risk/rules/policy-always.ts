// Demand: the practice requires a code at every sign-in, whatever the device. Serves use case 2
// (administrator-enforced MFA for all logins; a change applies to the next request of every user).
import type { Demand } from '../types.js';

export const policyAlways: Demand = (_signals, policy) => (policy.mode === 'always' ? 'policy_always' : undefined);
