// Demand (risk mode): this browser never completed a two-step sign-in for this user. Serves use case 1
// (clinician login from an unrecognized device or browser).
import type { Demand } from '../types.js';

export const newDevice: Demand = ({ knownDevice }, policy) =>
  policy.mode === 'risk' && !knownDevice ? 'new_device' : undefined;
