// Waiver: the client IP is trusted (practice-wide or for this user) and the practice lets trusted IPs
// skip the code, in every mode (the help article's office/home bypass). Never waives a step-up the
// application asked for.
import type { Waiver } from '../types.js';

export const trustedIpBypass: Waiver = ({ trustedIp }, policy, demands) =>
  trustedIp && policy.trustedIpsBypass && !demands.includes('step_up_requested') ? ['trusted_ip_bypass'] : undefined;
