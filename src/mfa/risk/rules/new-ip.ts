// Demand (risk mode): the IP's network (/24, /64) is outside the user's normal pattern: no completed
// sign-in from it in 90 days and not a trusted network. Serves use case 4 (telehealth / remote access
// from an unusual IP or location).
import type { Demand } from '../types.js';

export const newIp: Demand = ({ knownNetwork }, policy) =>
  policy.mode === 'risk' && !knownNetwork ? 'new_ip' : undefined;
